using Haven.Core.Rights;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Haven.Web.Pages.InformationRights;

/// <summary>
/// A requester checks their own request with its reference and status code. A wrong reference and a wrong code get
/// the same answer, so nobody can find out whether someone else's request exists.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(Infrastructure.PublicFormLimits.Policy)]
public sealed class StatusModel(RightsRequestService requests) : HavenPageModel
{
    [BindProperty] public string? Reference { get; set; }
    [BindProperty] public string? Code { get; set; }
    public PublicRequestStatus? Status { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Reference))
        {
            AddError("Reference", "Enter the reference of your request");
        }

        if (string.IsNullOrWhiteSpace(Code))
        {
            AddError("Code", "Enter the status code you were shown when you sent your request");
        }

        if (Errors.Count == 0)
        {
            Status = await requests.PublicStatusAsync(Reference, Code, HttpContext.RequestAborted);
            if (Status is null)
            {
                AddError("Reference", "We cannot find a request with this reference and status code. Check both and try again");
            }
        }

        return Page();
    }
}
