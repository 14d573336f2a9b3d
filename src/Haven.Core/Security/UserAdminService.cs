using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Haven.Core.Security;

public sealed record NewUser(string? Email, string? DisplayName, string? JobTitle, IReadOnlyList<string> Roles, Guid? OrganisationId, Guid? TeamId, DateOnly? TrainingOn);

public sealed record UserSummary(Guid Id, string DisplayName, string Email, IReadOnlyList<string> Roles, string Organisation, string? Team,
    bool Disabled, bool Locked, bool TwoFactor, DateOnly? TrainingOn, DateTimeOffset? LastSignedInAt);

/// <summary>What administrators do to accounts: create, disable, enable, reset, record training. Every step is audited.</summary>
public sealed class UserAdminService(HavenDbContext db, AuditWriter audit, IPasswordHasher<User> hasher, TimeProvider clock)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var list = await SummariesAsync(db.Users, cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditActions.UsersListed, Details: $"{list.Count} accounts"), cancellationToken);
        return list;
    }

    public async Task<UserSummary?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var summary = (await SummariesAsync(db.Users.Where(u => u.Id == id), cancellationToken)).SingleOrDefault();
        if (summary is not null)
        {
            await audit.RecordAsync(new AuditEntry(AuditActions.UserViewed, Details: $"user {id}"), cancellationToken);
        }

        return summary;
    }

    private async Task<List<UserSummary>> SummariesAsync(IQueryable<User> users, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await (from u in users
                          join o in db.Organisations on u.OrganisationId equals o.Id
                          join t in db.Teams on u.TeamId equals t.Id into teams
                          from t in teams.DefaultIfEmpty()
                          orderby u.DisplayName
                          select new { u, Org = o.Name, Team = t == null ? null : t.Name })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new UserSummary(r.u.Id, r.u.DisplayName, r.u.Email, r.u.Roles, r.Org, r.Team, r.u.DisabledAt is not null,
            r.u.LockedUntil > now, r.u.TotpSecretProtected is not null, r.u.LastDataProtectionTrainingOn, r.u.LastSignedInAt)).ToList();
    }

    /// <summary>Creates an account with a temporary password the user must change. Returns errors by field, or the new user and password.</summary>
    public async Task<(Dictionary<string, string> Errors, User? User, string? TemporaryPassword)> CreateAsync(NewUser input, bool validateOnly = false, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        AddError(errors, "DisplayName", TextInput.Check(input.DisplayName, "Full name", 200));
        AddError(errors, "Email", TextInput.CheckEmail(input.Email));
        AddError(errors, "JobTitle", TextInput.Check(input.JobTitle, "Job title", 200, required: false));
        if (input.Roles.Count == 0)
        {
            errors["Roles"] = "Select at least one role";
        }
        else if (input.Roles.Any(r => !Roles.All.Contains(r)))
        {
            errors["Roles"] = "Select roles from the list";
        }

        if (input.OrganisationId is null || !await db.Organisations.AnyAsync(o => o.Id == input.OrganisationId, cancellationToken))
        {
            errors["OrganisationId"] = "Select an organisation";
        }
        else if (input.TeamId is not null && !await db.Teams.AnyAsync(t => t.Id == input.TeamId && t.OrganisationId == input.OrganisationId, cancellationToken))
        {
            errors["TeamId"] = "Select a team in the chosen organisation";
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (input.TrainingOn is { } trained && trained > today)
        {
            errors["TrainingOn"] = "Date of data protection training must be today or in the past";
        }

        if (!errors.ContainsKey("Email"))
        {
            var normalized = TextInput.NormaliseEmail(input.Email!);
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
            {
                errors["Email"] = "An account with this email address already exists";
            }
        }

        if (errors.Count > 0 || validateOnly)
        {
            return (errors, null, null);
        }

        var temporary = PasswordPolicy.GenerateTemporary();
        var user = new User
        {
            Id = Guid.NewGuid(),
            OrganisationId = input.OrganisationId!.Value,
            TeamId = input.TeamId,
            Email = TextInput.Clean(input.Email!),
            NormalizedEmail = TextInput.NormaliseEmail(input.Email!),
            DisplayName = TextInput.Clean(input.DisplayName!),
            JobTitle = string.IsNullOrWhiteSpace(input.JobTitle) ? null : TextInput.Clean(input.JobTitle),
            Roles = input.Roles.Distinct().ToList(),
            MustChangePassword = true,
            LastDataProtectionTrainingOn = input.TrainingOn,
            SecurityStamp = AccountService.NewStamp(),
            CreatedAt = clock.GetUtcNow(),
        };
        user.PasswordHash = hasher.HashPassword(user, temporary);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditActions.UserCreated, Details: $"user {user.Id} roles {string.Join(',', user.Roles)}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (errors, user, temporary);
    }

    public Task<string?> DisableAsync(Guid actorId, Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, AuditActions.UserDisabled, user =>
        {
            if (user.Id == actorId)
            {
                return "You cannot disable your own account";
            }

            user.DisabledAt ??= clock.GetUtcNow();
            user.SecurityStamp = AccountService.NewStamp();
            return null;
        }, cancellationToken);

    public Task<string?> EnableAsync(Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, AuditActions.UserEnabled, user =>
        {
            user.DisabledAt = null;
            user.LockedUntil = null;
            user.FailedSignInCount = 0;
            return null;
        }, cancellationToken);

    public async Task<(string? Error, string? TemporaryPassword)> ResetPasswordAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var temporary = PasswordPolicy.GenerateTemporary();
        var error = await ChangeAsync(userId, AuditActions.UserPasswordReset, user =>
        {
            user.PasswordHash = hasher.HashPassword(user, temporary);
            user.MustChangePassword = true;
            user.LockedUntil = null;
            user.FailedSignInCount = 0;
            user.SecurityStamp = AccountService.NewStamp();
            return null;
        }, cancellationToken);
        return error is null ? (null, temporary) : (error, null);
    }

    public Task<string?> ResetTwoFactorAsync(Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, AuditActions.UserTwoFactorReset, user =>
        {
            user.TotpSecretProtected = null;
            user.TotpLastStep = 0;
            user.SecurityStamp = AccountService.NewStamp();
            return null;
        }, cancellationToken);

    public Task<string?> RecordTrainingAsync(Guid userId, DateOnly? trainedOn, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, AuditActions.UserTrainingRecorded, user =>
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            if (trainedOn is null)
            {
                return "Enter the date of the data protection training";
            }

            if (trainedOn > today)
            {
                return "Date of data protection training must be today or in the past";
            }

            if (trainedOn < today.AddYears(-10))
            {
                return "Date of data protection training must be within the last 10 years";
            }

            user.LastDataProtectionTrainingOn = trainedOn;
            return null;
        }, cancellationToken);

    private async Task<string?> ChangeAsync(Guid userId, string action, Func<User, string?> change, CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return "This account was not found";
        }

        var error = change(user);
        if (error is not null)
        {
            return error;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(action, Details: $"user {user.Id}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    private static void AddError(Dictionary<string, string> errors, string field, string? error)
    {
        if (error is not null)
        {
            errors[field] = error;
        }
    }
}
