using Haven.Core.Privacy;
using Haven.Core.Rights;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Haven.Web.Pages.InformationRights;

/// <summary>The public request form: no sign-in. The answer never says whether Haven holds anything about anyone.</summary>
[AllowAnonymous]
[EnableRateLimiting(Infrastructure.PublicFormLimits.Policy)]
public sealed class RequestModel(RegisterService register, RightsRequestService requests) : RightsRequestFormModel(register)
{
    public async Task OnGetAsync() => await LoadOrganisationsAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var input = ReadInput();
        var (errors, submitted) = await requests.SubmitAsync(input, null, HttpContext.RequestAborted);
        AddErrors(errors);
        if (Errors.Count > 0 || submitted is null)
        {
            await LoadOrganisationsAsync();
            return Page();
        }

        TempData["RightsReference"] = submitted.Reference;
        TempData["RightsCode"] = submitted.StatusCode;
        TempData["RightsDue"] = submitted.DueOn.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        TempData["RightsOrganisation"] = submitted.OrganisationName;
        return Redirect("/information-rights/sent");
    }
}
