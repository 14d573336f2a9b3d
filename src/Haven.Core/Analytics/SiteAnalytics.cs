using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Haven.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Haven.Core.Analytics;

/// <summary>One public page shown to a visitor who accepted analytics cookies: the day, the path and a random id.</summary>
public sealed class SitePageView
{
    public long Id { get; set; }

    /// <summary>The day the page was shown (UTC); never the time.</summary>
    public DateOnly ViewedOn { get; set; }

    /// <summary>The page's path in lower case, never its query string.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>The random id from the visitor's analytics cookie (128 bits as 32 hex digits).</summary>
    public string Visitor { get; set; } = string.Empty;
}

internal sealed class SitePageViewConfiguration : IEntityTypeConfiguration<SitePageView>
{
    public void Configure(EntityTypeBuilder<SitePageView> builder) => builder.ToTable("site_page_views");
}

/// <summary>
/// First-party analytics for the public pages. It is used only for visitors who have accepted analytics cookies (the
/// web layer decides that): it records which public page was shown on which day to which random visitor id, and
/// nothing else — no names, no accounts, no addresses, no query strings, no times of day.
/// </summary>
public sealed class SiteAnalytics(HavenDbContext db, TimeProvider clock)
{
    /// <summary>Rows are kept for 13 months, then deleted.</summary>
    public const int RetentionMonths = 13;

    public const int MaxPathLength = 200;

    /// <summary>The pages anyone can see without signing in; no other page is ever recorded.</summary>
    public static readonly IReadOnlyList<string> PublicPages = ["/", "/cookies", "/privacy", "/accessibility", "/sign-in"];

    /// <summary>Everything under this path (public privacy notices) is public too.</summary>
    public const string PublicSection = "/notices";

    // The day (as DateOnly.DayNumber) old rows were last deleted by this process: at most once a day.
    private static int _purgedOnDay;

    /// <summary>The path to record for a request path, or null when the page is not one of the public pages.</summary>
    public static string? PublicPath(string? requestPath)
    {
        if (string.IsNullOrEmpty(requestPath) || requestPath[0] != '/' || requestPath.Length > MaxPathLength)
        {
            return null;
        }

        var path = requestPath.Length > 1 ? requestPath.TrimEnd('/').ToLowerInvariant() : requestPath;
        if (path.Length == 0 || path.Any(char.IsControl) || path.Contains('?', StringComparison.Ordinal))
        {
            return null;
        }

        return PublicPages.Contains(path, StringComparer.Ordinal)
            || path == PublicSection || path.StartsWith(PublicSection + "/", StringComparison.Ordinal)
            ? path
            : null;
    }

    /// <summary>A new random visitor id: 128 bits from the system's cryptographic generator, as 32 hex digits.</summary>
    public static string NewVisitorId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>True for a value that <see cref="NewVisitorId"/> could have made; anything else in the cookie is ignored.</summary>
    public static bool IsVisitorId([NotNullWhen(true)] string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);

    /// <summary>Records one view of a public page. Paths that are not public pages, and malformed ids, are ignored.</summary>
    public async Task<bool> RecordAsync(string requestPath, string visitor, CancellationToken cancellationToken = default)
    {
        var path = PublicPath(requestPath);
        if (path is null || !IsVisitorId(visitor))
        {
            return false;
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var view = new SitePageView { ViewedOn = today, Path = path, Visitor = visitor };
        db.Add(view);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            // The page being shown shares this context; leave nothing of ours in it.
            db.Entry(view).State = EntityState.Detached;
        }

        await PurgeOnceADayAsync(today, cancellationToken);
        return true;
    }

    /// <summary>Deletes everything recorded against a visitor id (when they withdraw consent). Returns the rows deleted.</summary>
    public async Task<int> ForgetVisitorAsync(string visitor, CancellationToken cancellationToken = default) =>
        IsVisitorId(visitor) ? await db.Set<SitePageView>().Where(v => v.Visitor == visitor).ExecuteDeleteAsync(cancellationToken) : 0;

    /// <summary>Deletes rows older than the retention period. Returns the rows deleted.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddMonths(-RetentionMonths);
        return await db.Set<SitePageView>().Where(v => v.ViewedOn < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task PurgeOnceADayAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var last = Volatile.Read(ref _purgedOnDay);
        if (last != today.DayNumber && Interlocked.CompareExchange(ref _purgedOnDay, today.DayNumber, last) == last)
        {
            await PurgeExpiredAsync(cancellationToken);
        }
    }
}
