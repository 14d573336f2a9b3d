using System.Globalization;
using Haven.Core.Privacy;
using Haven.Core.Sharing;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Sharing;

public sealed class AgreementModel(PartnerService partners) : HavenPageModel
{
    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public List<Guid> PartnerIds { get; set; } = [];

    [BindProperty]
    public List<string> Purposes { get; set; } = [];

    [BindProperty]
    public List<string> Categories { get; set; } = [];

    [BindProperty]
    public string? LawfulBasis { get; set; }

    [BindProperty]
    public string? StartsOn { get; set; }

    [BindProperty]
    public string? ReviewOn { get; set; }

    [BindProperty]
    public string? EndsOn { get; set; }

    [BindProperty]
    public string? Status { get; set; }

    [BindProperty]
    public string? Notes { get; set; }

    public Guid? Id { get; private set; }
    public IReadOnlyList<SharingPartner> Partners { get; private set; } = [];
    public IReadOnlyList<RegisterPurpose> PurposeOptions { get; private set; } = [];

    /// <summary>The taxonomy's categories, top-level first, for the checkboxes.</summary>
    public static IReadOnlyList<DataCategory> CategoryOptions { get; } = Taxonomy.BuiltIn.All.OrderBy(c => c.Line).ToList();

    public async Task<IActionResult> OnGetAsync(Guid? id)
    {
        Id = id;
        var organisationId = await LoadAsync();
        if (id is { } existing)
        {
            var a = await partners.AgreementAsync(organisationId, existing, HttpContext.RequestAborted);
            if (a is null)
            {
                return NotFound();
            }

            (Title, LawfulBasis, Status, Notes) = (a.Title, a.LawfulBasis, a.Status, a.Notes);
            (PartnerIds, Purposes, Categories) = ([.. a.PartnerIds], [.. a.Purposes], [.. a.Categories]);
            (StartsOn, ReviewOn, EndsOn) = (Iso(a.StartsOn), Iso(a.ReviewOn), a.EndsOn is { } e ? Iso(e) : null);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id)
    {
        Id = id;
        var input = new AgreementInput
        {
            Title = Title,
            PartnerIds = PartnerIds,
            Purposes = Purposes,
            Categories = Categories,
            LawfulBasis = LawfulBasis,
            StartsOn = Date("StartsOn", StartsOn, "The start date"),
            ReviewOn = Date("ReviewOn", ReviewOn, "The review date"),
            EndsOn = Date("EndsOn", EndsOn, "The end date"),
            Status = Status,
            Notes = Notes,
        };
        var organisationId = await LoadAsync();
        AddErrors(await partners.ValidateAgreementAsync(organisationId, input, HttpContext.RequestAborted));
        if (Errors.Count == 0)
        {
            var (saved, errors) = await partners.SaveAgreementAsync(User.UserId(), id, input, HttpContext.RequestAborted);
            if (saved is not null)
            {
                TempData["SharingNotice"] = $"{Title?.Trim()} saved";
                return Redirect("/sharing/agreements");
            }

            AddErrors(errors);
        }

        return Page();
    }

    private async Task<Guid> LoadAsync()
    {
        var organisationId = await partners.OrganisationOfAsync(User.UserId(), HttpContext.RequestAborted);
        Partners = await partners.PartnersAsync(organisationId, HttpContext.RequestAborted);
        PurposeOptions = await partners.PurposesAsync(organisationId, HttpContext.RequestAborted);
        return organisationId;
    }

    private DateOnly? Date(string field, string? value, string label)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        AddError(field, $"{label} must be a real date");
        return null;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
