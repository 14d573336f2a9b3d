using Microsoft.AspNetCore.Authorization;

namespace Haven.Web.Pages.InformationRights;

/// <summary>The public start page for information rights requests.</summary>
[AllowAnonymous]
public sealed class IndexModel : HavenPageModel
{
    public void OnGet()
    {
    }
}
