using System.Text;
using Haven.Core.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Data;

public sealed class HavenDbContext(DbContextOptions<HavenDbContext> options) : DbContext(options)
{
    /// <summary>PostgreSQL's system column that changes whenever a row is written: Haven's optimistic concurrency token.</summary>
    public const string RowVersionColumn = "xmin";

    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<PersonName> PersonNames => Set<PersonName>();
    public DbSet<Address> Addresses => Set<Address>();
    public DbSet<RecordAccessGrant> RecordAccessGrants => Set<RecordAccessGrant>();
    public DbSet<BreakGlassEvent> BreakGlassEvents => Set<BreakGlassEvent>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Organisation>().ToTable("organisations");
        modelBuilder.Entity<Team>().ToTable("teams");
        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.Ignore(u => u.TwoFactorEnabled);
        });
        modelBuilder.Entity<Person>(person =>
        {
            person.ToTable("people");
            person.Ignore(p => p.FullName);
        });
        modelBuilder.Entity<PersonName>().ToTable("person_names").HasOne<Person>().WithMany().HasForeignKey(n => n.PersonId);
        modelBuilder.Entity<Address>().ToTable("addresses").HasOne<Person>().WithMany().HasForeignKey(a => a.PersonId);
        // Declared so that EF saves a mother before her unborn child, and a person before their addresses.
        modelBuilder.Entity<Person>().HasOne<Person>().WithMany().HasForeignKey(p => p.MotherId);
        modelBuilder.Entity<RecordAccessGrant>().ToTable("record_access_grants");
        modelBuilder.Entity<BreakGlassEvent>().ToTable("break_glass_events");
        modelBuilder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("audit_events");
            audit.HasKey(a => a.Seq);
            audit.Property(a => a.Seq).ValueGeneratedNever();
        });
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        // Each feature module maps its own entities in an IEntityTypeConfiguration class of its own file.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HavenDbContext).Assembly);

        // snake_case column names throughout, matching the SQL migrations. A row version mapped to PostgreSQL's
        // system column xmin keeps that name.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties().Where(p => p.GetColumnName() != RowVersionColumn))
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
        }

        modelBuilder.Entity<Person>().Property(p => p.Version).HasColumnName(RowVersionColumn).HasColumnType("xid").IsRowVersion();
    }

    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
