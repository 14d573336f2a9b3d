using Haven.Core.Sharing;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Sharing;

public sealed class PartnerModel(PartnerService partners) : HavenPageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? PartnerType { get; set; }

    [BindProperty]
    public string? Contact { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Identifier { get; set; }

    [BindProperty]
    public List<string> RecipientCodes { get; set; } = [];

    public Guid? Id { get; private set; }
    public IReadOnlyList<RegisterRecipient> Recipients { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        Id = id;
        var organisationId = await partners.OrganisationOfAsync(User.UserId(), HttpContext.RequestAborted);
        Recipients = await partners.RecipientsAsync(organisationId, HttpContext.RequestAborted);
        if (id is { } existing)
        {
            var partner = await partners.PartnerAsync(organisationId, existing, HttpContext.RequestAborted);
            if (partner is null)
            {
                return NotFound();
            }

            (Name, PartnerType, Contact, Address, Email, Phone, Identifier) = (partner.Name, partner.PartnerType, partner.Contact, partner.Address, partner.Email, partner.Phone, partner.Identifier);
            RecipientCodes = [.. partner.RecipientCodes];
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        var input = new PartnerInput { Name = Name, PartnerType = PartnerType, Contact = Contact, Address = Address, Email = Email, Phone = Phone, Identifier = Identifier, RecipientCodes = RecipientCodes };
        var (saved, errors) = await partners.SavePartnerAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        if (saved is not null)
        {
            TempData["SharingNotice"] = $"{Name?.Trim()} saved";
            return Redirect("/sharing/partners");
        }

        Id = id;
        var organisationId = await partners.OrganisationOfAsync(User.UserId(), HttpContext.RequestAborted);
        Recipients = await partners.RecipientsAsync(organisationId, HttpContext.RequestAborted);
        AddErrors(errors);
        return Page();
    }
}
