using Haven.Core.Sharing;
using Haven.Web.Infrastructure;

namespace Haven.Web.Pages.Sharing;

public sealed class PartnersModel(PartnerService partners) : HavenPageModel
{
    public IReadOnlyList<SharingPartner> Partners { get; private set; } = [];
    public IReadOnlyDictionary<string, string> RecipientNames { get; private set; } = new Dictionary<string, string>();
    public string? Notice { get; private set; }

    public async Task OnGetAsync()
    {
        Notice = TempData["SharingNotice"] as string;
        var organisationId = await partners.OrganisationOfAsync(User.UserId(), HttpContext.RequestAborted);
        Partners = await partners.PartnersAsync(organisationId, HttpContext.RequestAborted);
        RecipientNames = (await partners.RecipientsAsync(organisationId, HttpContext.RequestAborted)).ToDictionary(r => r.Code, r => r.Name);
    }
}
