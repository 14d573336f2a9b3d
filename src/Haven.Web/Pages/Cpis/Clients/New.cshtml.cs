using Haven.Core.Cpis;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Cpis.Clients;

public sealed class NewModel(CpisService cpis) : HavenPageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? SettingType { get; set; }
    [BindProperty] public string? OdsCode { get; set; }
    [BindProperty] public string? RateLimitPerMinute { get; set; } = "120";
    [BindProperty] public List<string> Scopes { get; set; } = [CpisCodes.ScopeLookup, CpisCodes.ScopeConcern];

    /// <summary>Shown once, on the response to the registration, and never stored.</summary>
    public string? Token { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var (errors, client) = await cpis.RegisterAsync(new ClientInput(Name, SettingType, OdsCode, RateLimitPerMinute, Scopes), User.UserId(), HttpContext.RequestAborted);
        AddErrors(errors);
        if (client is not null)
        {
            Token = client.Token;
            Response.Headers.CacheControl = "no-store";
        }

        return Page();
    }
}
