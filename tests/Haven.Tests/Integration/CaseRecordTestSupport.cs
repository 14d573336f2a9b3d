using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Haven.Tests.Integration;

/// <summary>Shared steps for the family, involvement and education tests: demo people, form dates and API calls.</summary>
internal static partial class CaseRecordTestSupport
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<Guid> PersonAsync(HavenFactory factory, string givenName) =>
        factory.WithDbAsync(db => db.People.Where(p => p.GivenName == givenName).Select(p => p.Id).SingleAsync());

    public static async Task<HttpClient> SignedInAsync(HavenFactory factory, string email = "sam.worker@demo.haven.test")
    {
        var client = factory.NewClient();
        await TestSignIn.SignInAsync(factory, client, email);
        return client;
    }

    /// <summary>Fills a GOV.UK date input (NameDay, NameMonth, NameYear).</summary>
    public static void Date(IDictionary<string, string> form, string name, DateOnly date)
    {
        form[name + "Day"] = date.Day.ToString(CultureInfo.InvariantCulture);
        form[name + "Month"] = date.Month.ToString(CultureInfo.InvariantCulture);
        form[name + "Year"] = date.Year.ToString(CultureInfo.InvariantCulture);
    }

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Page HTML with entities decoded, so text like "Amara Clarke's" can be matched as written.</summary>
    public static async Task<string> TextAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

    /// <summary>A cookie-authenticated JSON call that changes state carries the antiforgery header from a page.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, object body) => SendJsonAsync(client, HttpMethod.Post, path, body);

    public static Task<HttpResponseMessage> PutJsonAsync(HttpClient client, string path, object body) => SendJsonAsync(client, HttpMethod.Put, path, body);

    private static async Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string path, object body)
    {
        var home = await client.GetStringAsync("/", Ct);
        var token = AntiforgeryMeta().Match(home).Groups[1].Value;
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", token);
        return await client.SendAsync(request, Ct);
    }

    public static async Task<Dictionary<string, string[]>> ValidationErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationBody>(Ct);
        return problem!.Errors;
    }

    public static Task<List<string>> AuditActionsAsync(HavenFactory factory) => factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).ToListAsync());

    public sealed record ValidationBody(Dictionary<string, string[]> Errors);

    [GeneratedRegex("name=\"haven-antiforgery\" content=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryMeta();
}
