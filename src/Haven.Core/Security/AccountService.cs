using Haven.Core.Audit;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Validation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Haven.Core.Security;

public enum SignInStatus
{
    Failed,
    LockedOut,
    RequiresTwoFactor,
    RequiresTwoFactorSetup,
    Succeeded,
}

public sealed record SignInOutcome(SignInStatus Status, User? User = null, string? Error = null);

/// <summary>Password and two-factor sign-in, lockout, enrolment and password changes.</summary>
public sealed class AccountService(
    HavenDbContext db,
    AuditWriter audit,
    IPasswordHasher<User> hasher,
    IDataProtectionProvider dataProtection,
    IOptions<SecurityOptions> options,
    TimeProvider clock)
{
    public const string WrongDetails = "Enter a correct email address and password";
    private const string TotpPurpose = "Haven.Totp.v1";
    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(new User(), "not-a-real-password-0000");

    private IDataProtector TotpProtector => dataProtection.CreateProtector(TotpPurpose);
    private ITimeLimitedDataProtector PendingProtector => dataProtection.CreateProtector(TotpPurpose + ".Pending").ToTimeLimitedDataProtector();

    public string LockedMessage => $"You have entered incorrect details too many times. Try again in {options.Value.LockoutMinutes} minutes";

    public async Task<SignInOutcome> CheckPasswordAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        var normalized = TextInput.NormaliseEmail(email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        var now = clock.GetUtcNow();
        if (user is null || user.DisabledAt is not null)
        {
            // Spend the same time as a real check so the answer does not reveal whether the account exists.
            hasher.VerifyHashedPassword(new User(), DummyHash, password);
            await audit.RecordAsync(new AuditEntry(AuditActions.SignInFailed, Details: user is null ? "unknown account" : $"disabled account {user.Id}"), cancellationToken);
            return new SignInOutcome(SignInStatus.Failed, Error: WrongDetails);
        }

        if (user.LockedUntil is { } until && until > now)
        {
            await audit.RecordAsync(new AuditEntry(AuditActions.SignInLockedOut, Details: $"user {user.Id}"), cancellationToken);
            return new SignInOutcome(SignInStatus.LockedOut, user, LockedMessage);
        }

        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            return await RecordFailureAsync(user, AuditActions.SignInFailed, WrongDetails, cancellationToken);
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(cancellationToken);
        }

        if (user.TwoFactorEnabled)
        {
            return new SignInOutcome(SignInStatus.RequiresTwoFactor, user);
        }

        if (user.Roles.Any(Roles.RequireTwoFactor.Contains))
        {
            return new SignInOutcome(SignInStatus.RequiresTwoFactorSetup, user);
        }

        await CompleteSignInAsync(user, "password", cancellationToken);
        return new SignInOutcome(SignInStatus.Succeeded, user);
    }

    /// <summary>Authenticator apps often show codes as "123 456": spaces are ignored.</summary>
    private static string NormaliseCode(string? code) => code?.Replace(" ", string.Empty, StringComparison.Ordinal).Trim() ?? string.Empty;

    public static string? CheckCodeFormat(string? code)
    {
        var trimmed = NormaliseCode(code);
        if (string.IsNullOrEmpty(trimmed))
        {
            return "Enter the 6-digit code from your authenticator app";
        }

        if (trimmed.Length != 6 || !trimmed.All(char.IsAsciiDigit))
        {
            return "The code must be 6 digits, like 123456";
        }

        return null;
    }

    public async Task<SignInOutcome> VerifyTwoFactorAsync(Guid userId, string? code, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null || user.DisabledAt is not null || user.TotpSecretProtected is null)
        {
            return new SignInOutcome(SignInStatus.Failed, Error: "Your sign-in has expired. Sign in again");
        }

        var now = clock.GetUtcNow();
        if (user.LockedUntil is { } until && until > now)
        {
            return new SignInOutcome(SignInStatus.LockedOut, user, LockedMessage);
        }

        var formatError = CheckCodeFormat(code);
        if (formatError is not null)
        {
            return new SignInOutcome(SignInStatus.RequiresTwoFactor, user, formatError);
        }

        var secret = TotpProtector.Unprotect(Convert.FromBase64String(user.TotpSecretProtected));
        var step = Totp.Match(secret, NormaliseCode(code), now, user.TotpLastStep);
        if (step is null)
        {
            var failure = await RecordFailureAsync(user, AuditActions.TwoFactorFailed,
                "The code is not correct or has already been used. Enter the current code from your authenticator app", cancellationToken);
            return failure.Status == SignInStatus.LockedOut ? failure : failure with { Status = SignInStatus.RequiresTwoFactor };
        }

        user.TotpLastStep = step.Value;
        await CompleteSignInAsync(user, "password and two-factor code", cancellationToken);
        return new SignInOutcome(SignInStatus.Succeeded, user);
    }

    /// <summary>Makes a new authenticator key. It is only stored once the user proves they have set it up.</summary>
    public (string Base32Key, string ProtectedKey) NewEnrolmentKey()
    {
        var secret = Totp.NewSecret();
        return (Totp.ToBase32(secret), PendingProtector.Protect(Convert.ToBase64String(secret), TimeSpan.FromMinutes(15)));
    }

    public string? Base32FromPending(string? protectedKey)
    {
        if (string.IsNullOrEmpty(protectedKey))
        {
            return null;
        }

        try
        {
            return Totp.ToBase32(Convert.FromBase64String(PendingProtector.Unprotect(protectedKey)));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Stores the new key once the user's code proves it works. Returns an error message, or null on success.</summary>
    public async Task<string?> CompleteEnrolmentAsync(Guid userId, string? protectedKey, string? code, bool signingIn, CancellationToken cancellationToken = default)
    {
        var base32 = Base32FromPending(protectedKey);
        if (base32 is null)
        {
            return "The set-up key has expired. Add the new key to your authenticator app and enter a new code";
        }

        var formatError = CheckCodeFormat(code);
        if (formatError is not null)
        {
            return formatError;
        }

        var user = await db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
        var secret = Totp.FromBase32(base32);
        var step = Totp.Match(secret, NormaliseCode(code), clock.GetUtcNow(), 0);
        if (step is null)
        {
            return "The code is not correct. Check the key in your authenticator app and enter the current code";
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.TotpSecretProtected = ProtectTotpSecret(secret);
        user.TotpLastStep = step.Value;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditActions.TwoFactorEnrolled, Details: $"user {user.Id}"), cancellationToken);
        if (signingIn)
        {
            await CompleteSignInAsync(user, "password and new two-factor code", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    /// <summary>Protects an authenticator key for storage (also used by the demo data and the test harness).</summary>
    public string ProtectTotpSecret(byte[] secret) => Convert.ToBase64String(TotpProtector.Protect(secret));

    public async Task<string?> ChangePasswordAsync(Guid userId, string? currentPassword, string? newPassword, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
        if (string.IsNullOrEmpty(currentPassword) || hasher.VerifyHashedPassword(user, user.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
        {
            return "Your current password is not correct";
        }

        var policyError = PasswordPolicy.Check(newPassword);
        if (policyError is not null)
        {
            return policyError;
        }

        if (newPassword == currentPassword)
        {
            return "Your new password must be different from your current password";
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.PasswordHash = hasher.HashPassword(user, newPassword!);
        user.MustChangePassword = false;
        user.SecurityStamp = NewStamp();
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(AuditActions.PasswordChanged, Details: $"user {user.Id}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    public static string NewStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private async Task CompleteSignInAsync(User user, string method, CancellationToken cancellationToken)
    {
        user.FailedSignInCount = 0;
        user.LockedUntil = null;
        user.LastSignedInAt = clock.GetUtcNow();
        var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(new AuditEntry(AuditActions.SignInSucceeded, Details: $"user {user.Id} by {method}"), cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private async Task<SignInOutcome> RecordFailureAsync(User user, string action, string error, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.FailedSignInCount++;
        var locked = user.FailedSignInCount >= options.Value.MaxFailedAttempts;
        if (locked)
        {
            user.LockedUntil = clock.GetUtcNow().AddMinutes(options.Value.LockoutMinutes);
            user.FailedSignInCount = 0;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(new AuditEntry(locked ? AuditActions.SignInLockedOut : action, Details: $"user {user.Id}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return locked
            ? new SignInOutcome(SignInStatus.LockedOut, user, LockedMessage)
            : new SignInOutcome(SignInStatus.Failed, user, error);
    }
}
