using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Haven.Core.Demo;
using Haven.Core.Security;

namespace Haven.Tests.Infrastructure;

/// <summary>Signs in through the real pages: sign-in form, antiforgery token, and two-factor code when asked.</summary>
public static partial class TestSignIn
{
    /// <summary>The demo account for each role (DemoSeeder creates one per role).</summary>
    public static readonly IReadOnlyDictionary<string, string> AccountForRole = new Dictionary<string, string>
    {
        [Roles.Practitioner] = "sam.worker@demo.haven.test",
        [Roles.TeamManager] = "maria.manager@demo.haven.test",
        [Roles.ReviewBusinessOfficer] = "rob.reviews@demo.haven.test",
        [Roles.LeadReviewer] = "lee.lead@demo.haven.test",
        [Roles.ReviewTeamMember] = "rita.review@demo.haven.test",
        [Roles.PartnerContributor] = "paula.police@demo.haven.test",
        [Roles.TrainingAdministrator] = "tina.training@demo.haven.test",
        [Roles.DataProtectionOfficer] = "dora.dpo@demo.haven.test",
        [Roles.InformationGovernance] = "ian.governance@demo.haven.test",
        [Roles.SystemAdministrator] = "adam.admin@demo.haven.test",
        [Roles.NhsClinician] = "nina.nurse@demo.haven.test",
    };

    // Codes are single-use: remember the last step used per database and account so a second sign-in uses the next step.
    private static readonly ConcurrentDictionary<string, long> LastStep = new();

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        // Pages that refuse access (403) still carry forms, such as the break-glass form.
        using var response = await client.GetAsync(path);
        return TokenPattern().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value;
    }

    public static string Token(string html) => TokenPattern().Match(html).Groups[1].Value;

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, IDictionary<string, string> fields, string? tokenFromPath = null)
    {
        var token = await AntiforgeryTokenAsync(client, tokenFromPath ?? path);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    public static async Task SignInAsync(HavenFactory factory, HttpClient client, string email, string password = DemoSeeder.DemoPassword)
    {
        var response = await PostFormAsync(client, "/sign-in", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
        var location = response.Headers.Location?.OriginalString;
        if (location is not null && location.StartsWith("/sign-in/two-factor", StringComparison.Ordinal))
        {
            response = await PostFormAsync(client, "/sign-in/two-factor", new Dictionary<string, string> { ["Code"] = NextCode(factory, email) });
            location = response.Headers.Location?.OriginalString;
        }

        if (response.StatusCode != HttpStatusCode.Redirect || location != "/")
        {
            throw new InvalidOperationException($"Sign-in for {email} did not complete: {(int)response.StatusCode} {location}");
        }
    }

    /// <summary>A valid, unused code for the demo authenticator key.</summary>
    public static string NextCode(HavenFactory factory, string email)
    {
        var key = factory.Database + "|" + email;
        var secret = Totp.FromBase32(DemoSeeder.DemoTotpKey);
        while (true)
        {
            var now = Totp.StepAt(DateTimeOffset.UtcNow);
            var last = LastStep.GetOrAdd(key, 0);
            var step = Math.Max(now, last + 1);
            if (step <= now)
            {
                LastStep[key] = step;
                return Totp.Code(secret, step);
            }

            Thread.Sleep(1000);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
