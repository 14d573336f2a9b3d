using Haven.Core.Sharing;
using Haven.Web.Infrastructure;

namespace Haven.Web.Pages.Sharing;

public sealed class AgreementsModel(PartnerService partners) : HavenPageModel
{
    public IReadOnlyList<SharingAgreement> Agreements { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> PartnerNames { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyDictionary<string, string> PurposeNames { get; private set; } = new Dictionary<string, string>();
    public DateOnly Today => partners.Today;
    public string? Notice { get; private set; }

    public async Task OnGetAsync()
    {
        Notice = TempData["SharingNotice"] as string;
        var organisationId = await partners.OrganisationOfAsync(User.UserId(), HttpContext.RequestAborted);
        Agreements = await partners.AgreementsAsync(organisationId, HttpContext.RequestAborted);
        PartnerNames = (await partners.PartnersAsync(organisationId, HttpContext.RequestAborted)).ToDictionary(p => p.Id, p => p.Name);
        PurposeNames = (await partners.PurposesAsync(organisationId, HttpContext.RequestAborted)).ToDictionary(p => p.Code, p => p.Purpose);
    }
}
