using System.Globalization;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Admin.Users;

public sealed class UserDetailsModel(UserAdminService users) : HavenPageModel
{
    public UserSummary? Account { get; private set; }
    public string? Notice { get; private set; }

    [BindProperty]
    public string? TrainedOn { get; set; }

    public Task<IActionResult> OnGetAsync(Guid id)
    {
        Notice = TempData["UserNotice"] as string;
        return LoadAsync(id);
    }

    public Task<IActionResult> OnPostDisableAsync(Guid id) => ActAsync(id, users.DisableAsync(User.UserId(), id, HttpContext.RequestAborted), "The account has been disabled and its sessions ended");

    public Task<IActionResult> OnPostEnableAsync(Guid id) => ActAsync(id, users.EnableAsync(id, HttpContext.RequestAborted), "The account is active");

    public Task<IActionResult> OnPostResetTwoFactorAsync(Guid id) => ActAsync(id, users.ResetTwoFactorAsync(id, HttpContext.RequestAborted), "Two-factor sign-in has been reset. The user sets it up again at their next sign-in if their role needs it");

    public async Task<IActionResult> OnPostResetPasswordAsync(Guid id)
    {
        var (error, temporary) = await users.ResetPasswordAsync(id, HttpContext.RequestAborted);
        return await ActAsync(id, Task.FromResult(error), $"Password reset. Temporary password: {temporary}. Give it to the user in person or by phone; it will not be shown again");
    }

    public async Task<IActionResult> OnPostTrainingAsync(Guid id)
    {
        DateOnly? trainedOn = null;
        if (!string.IsNullOrWhiteSpace(TrainedOn))
        {
            if (!DateOnly.TryParseExact(TrainedOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                AddError("TrainedOn", "Date of training must be a real date");
                return await LoadAsync(id);
            }

            trainedOn = parsed;
        }

        var error = await users.RecordTrainingAsync(id, trainedOn, HttpContext.RequestAborted);
        if (error is not null)
        {
            AddError("TrainedOn", error);
            return await LoadAsync(id);
        }

        TempData["UserNotice"] = "Training recorded";
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult> ActAsync(Guid id, Task<string?> action, string success)
    {
        var error = await action;
        if (error is not null)
        {
            AddError("actions", error);
            return await LoadAsync(id);
        }

        TempData["UserNotice"] = success;
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult> LoadAsync(Guid id)
    {
        Account = await users.GetAsync(id, HttpContext.RequestAborted);
        return Account is null ? NotFound() : Page();
    }
}
