using System.Net;
using System.Text.RegularExpressions;
using Haven.Core.Audit;
using Haven.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Haven.Tests.Integration;

public sealed partial class UserAdministrationTests(PostgresCluster cluster) : IAsyncLifetime
{
    private HavenFactory _factory = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _factory = new HavenFactory(cluster, await cluster.NewDatabaseAsync());

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private async Task<HttpClient> AdminAsync()
    {
        var client = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, client, "adam.admin@demo.haven.test");
        return client;
    }

    private async Task<Dictionary<string, string>> NewUserFormAsync(string email)
    {
        var orgId = await _factory.WithDbAsync(db => db.Organisations.Where(o => o.ShortName == "afc").Select(o => o.Id).SingleAsync());
        return new Dictionary<string, string>
        {
            ["DisplayName"] = "Zoë Ångström-Nakamura",
            ["Email"] = email,
            ["OrganisationId"] = orgId.ToString(),
            ["Roles"] = "practitioner",
            ["TrainingOn"] = DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    [Fact]
    public async Task A_new_user_gets_a_temporary_password_and_must_choose_their_own()
    {
        using var admin = await AdminAsync();
        var created = await TestSignIn.PostFormAsync(admin, "/admin/users/new", await NewUserFormAsync("zoe.new@demo.haven.test"));
        var html = await created.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var temporary = TemporaryPassword().Match(html).Groups[1].Value;
        Assert.Matches("^[a-z2-9]{4}(-[a-z2-9]{4}){3}$", temporary);

        using var user = _factory.NewClient();
        var signIn = await TestSignIn.PostFormAsync(user, "/sign-in", new Dictionary<string, string> { ["Email"] = "ZOE.NEW@demo.haven.test", ["Password"] = temporary });
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
        var gated = await user.GetAsync("/", Ct);
        Assert.Equal("/account/change-password", gated.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/v1/me", Ct)).StatusCode);

        var weak = await TestSignIn.PostFormAsync(user, "/account/change-password", new Dictionary<string, string> { ["CurrentPassword"] = temporary, ["NewPassword"] = "short" });
        Assert.Contains("Password must be 12 characters or more", await weak.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var changed = await TestSignIn.PostFormAsync(user, "/account/change-password", new Dictionary<string, string> { ["CurrentPassword"] = temporary, ["NewPassword"] = "correct horse battery staple" });
        Assert.Equal("/account", changed.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/", Ct)).StatusCode);

        var actions = await _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).ToListAsync());
        Assert.Contains(AuditActions.UserCreated, actions);
        Assert.Contains(AuditActions.PasswordChanged, actions);
    }

    [Fact]
    public async Task Creating_a_user_with_bad_input_lists_every_problem_and_stores_nothing()
    {
        using var admin = await AdminAsync();
        var before = await _factory.WithDbAsync(db => db.Users.CountAsync());
        var form = await NewUserFormAsync("sam.worker@demo.haven.test");
        form["DisplayName"] = new string('x', 201);
        form["Roles"] = "emperor";
        form["TrainingOn"] = "2024-02-30";
        form["TeamId"] = "not-a-guid";
        var response = await TestSignIn.PostFormAsync(admin, "/admin/users/new", form);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Full name must be 200 characters or fewer", html, StringComparison.Ordinal);
        Assert.Contains("An account with this email address already exists", html, StringComparison.Ordinal);
        Assert.Contains("Select roles from the list", html, StringComparison.Ordinal);
        Assert.Contains("must be a real date", html, StringComparison.Ordinal);
        Assert.Contains("Select a team from the list", html, StringComparison.Ordinal);
        Assert.Equal(before, await _factory.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_sessions_at_once()
    {
        using var sam = _factory.NewClient();
        await TestSignIn.SignInAsync(_factory, sam, "sam.worker@demo.haven.test");
        Assert.Equal(HttpStatusCode.OK, (await sam.GetAsync("/", Ct)).StatusCode);

        var samId = await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == "sam.worker@demo.haven.test").Select(u => u.Id).SingleAsync());
        using var admin = await AdminAsync();
        var disabled = await TestSignIn.PostFormAsync(admin, $"/admin/users/{samId}?handler=Disable", new Dictionary<string, string>(), $"/admin/users/{samId}");
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await sam.GetAsync("/", Ct)).StatusCode);
        using var again = _factory.NewClient();
        var refused = await TestSignIn.PostFormAsync(again, "/sign-in", new Dictionary<string, string> { ["Email"] = "sam.worker@demo.haven.test", ["Password"] = Haven.Core.Demo.DemoSeeder.DemoPassword });
        Assert.Contains("Enter a correct email address and password", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains(AuditActions.UserDisabled, await _factory.WithDbAsync(db => db.AuditEvents.Select(e => e.Action).ToListAsync()));
    }

    [Fact]
    public async Task An_administrator_cannot_disable_their_own_account()
    {
        using var admin = await AdminAsync();
        var adminId = await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == "adam.admin@demo.haven.test").Select(u => u.Id).SingleAsync());
        var response = await TestSignIn.PostFormAsync(admin, $"/admin/users/{adminId}?handler=Disable", new Dictionary<string, string>(), $"/admin/users/{adminId}");
        Assert.Contains("You cannot disable your own account", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resetting_a_password_unlocks_and_forces_a_change()
    {
        var samId = await _factory.WithDbAsync(db => db.Users.Where(u => u.Email == "sam.worker@demo.haven.test").Select(u => u.Id).SingleAsync());
        using var admin = await AdminAsync();
        var reset = await TestSignIn.PostFormAsync(admin, $"/admin/users/{samId}?handler=ResetPassword", new Dictionary<string, string>(), $"/admin/users/{samId}");
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        var page = await admin.GetStringAsync($"/admin/users/{samId}", Ct);
        var temporary = Regex.Match(page, "Temporary password: ([a-z2-9-]{19})").Groups[1].Value;
        Assert.NotEmpty(temporary);
        Assert.True(await _factory.WithDbAsync(db => db.Users.Where(u => u.Id == samId).Select(u => u.MustChangePassword).SingleAsync()));
    }

    [GeneratedRegex("id=\"temporary-password\">([^<]+)<")]
    private static partial Regex TemporaryPassword();
}
