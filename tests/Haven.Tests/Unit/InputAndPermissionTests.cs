using Haven.Core.Data;
using Haven.Core.Security;
using Haven.Core.Validation;

namespace Haven.Tests.Unit;

public sealed class InputAndPermissionTests
{
    [Theory]
    [InlineData("Siobhán Ní Bhriain", null)]
    [InlineData("👩🏽‍⚕️ Dr Okoye", null)]
    [InlineData("", "Enter full name")]
    [InlineData("Tab\tinside", "Full name must not contain control or invisible formatting characters")]
    [InlineData("Right\u202Eleft", "Full name must not contain control or invisible formatting characters")]
    [InlineData("broken \uD800 surrogate", "Full name contains a character that cannot be stored")]
    public void Text_checks_say_what_is_wrong(string value, string? expected) =>
        Assert.Equal(expected, TextInput.Check(value, "Full name", 200));

    [Fact]
    public void Text_is_stored_in_one_normal_form() =>
        Assert.Equal("Zoë", TextInput.Clean("  Zoe\u0308 "));

    [Theory]
    [InlineData("short", "Password must be 12 characters or more")]
    [InlineData("password1234", "Choose a password that is harder to guess")]
    [InlineData("aaaaaaaaaaaaaaaa", "Choose a password that is harder to guess")]
    [InlineData("correct horse battery staple", null)]
    public void Password_policy(string password, string? expected) => Assert.Equal(expected, PasswordPolicy.Check(password));

    [Fact]
    public void Every_role_has_a_row_in_the_permission_table_and_every_permission_is_used()
    {
        foreach (var role in Roles.All)
        {
            Assert.NotEmpty(Permissions.ForRole(role));
        }

        foreach (var permission in Permissions.All)
        {
            Assert.Contains(Roles.All, role => Permissions.ForRole(role).Contains(permission));
        }
    }

    [Fact]
    public void Migrations_are_numbered_without_gaps_and_have_stable_checksums()
    {
        var migrations = MigrationRunner.LoadMigrations();
        Assert.Equal(Enumerable.Range(1, migrations.Count), migrations.Select(m => m.Version));
        Assert.All(migrations, m => Assert.Equal(64, m.Checksum.Length));
    }
}
