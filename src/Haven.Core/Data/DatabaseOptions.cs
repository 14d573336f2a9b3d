namespace Haven.Core.Data;

/// <summary>Where Haven's data lives: an external server, or the embedded cluster it starts itself.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Connection string for the application role. Empty means the embedded default.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Connection string for the role that owns the schema and runs migrations. Defaults to <see cref="ConnectionString"/>.</summary>
    public string? MigrationConnectionString { get; set; }

    /// <summary>The role the application connects as; migrations grant it append-only rights on the audit tables.</summary>
    public string AppRole { get; set; } = "haven_app";

    /// <summary>Folder holding the embedded cluster and its generated credentials.</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>Folder holding PostgreSQL's server programs (initdb, pg_ctl). Found automatically when empty.</summary>
    public string? PostgresBinDirectory { get; set; }

    public bool IsEmbedded => string.IsNullOrWhiteSpace(ConnectionString);

    public static string DefaultDataDirectory()
    {
        if (Environment.UserName == "root")
        {
            return "/var/lib/haven";
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "haven");
    }
}
