using Haven.Core.Security;
using Haven.Core.Sharing;
using Haven.Core.Validation;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

/// <summary>
/// Share information about a person, or record a disclosure already made: the purpose from the privacy register,
/// the recipient declared for it, the categories, and what is sent. Haven runs the sharing check; a refusal shows its
/// reasons and stores nothing. A record the worker may not open is not found, exactly as an unknown one.
/// </summary>
[Authorize(Policy = Permissions.RecordPeople)]
public sealed class ShareModel(DisclosureService disclosures, TimeProvider clock) : HavenPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Purpose { get; set; }

    [BindProperty]
    public string? Recipient { get; set; }

    [BindProperty]
    public List<string> Categories { get; set; } = [];

    [BindProperty]
    public string? Country { get; set; }

    [BindProperty]
    public string? Summary { get; set; }

    [BindProperty]
    public string? When { get; set; }

    [BindProperty]
    public string? DisclosedOnDay { get; set; }

    [BindProperty]
    public string? DisclosedOnMonth { get; set; }

    [BindProperty]
    public string? DisclosedOnYear { get; set; }

    [BindProperty]
    public string? Method { get; set; }

    public Guid Id { get; private set; }
    public string PersonName { get; private set; } = string.Empty;
    public bool Restricted { get; private set; }
    public IReadOnlyList<PurposeOption> Options { get; private set; } = [];
    public PurposeOption? Selected { get; private set; }
    public IReadOnlyList<string> Refusals { get; private set; } = [];
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id, "prepare to share information") ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        var (date, dateError) = When == "recorded" ? DateInput.Parse(DisclosedOnDay, DisclosedOnMonth, DisclosedOnYear, "The date the information was shared") : (null, null);
        var input = new DisclosureInput
        {
            Purpose = Purpose,
            Recipient = Recipient,
            Categories = Categories,
            Country = Country,
            Summary = Summary,
            When = When,
            DisclosedOn = date,
            Method = Method,
        };
        var result = await disclosures.ShareAsync(User.UserId(), id, input, HttpContext.RequestAborted);
        switch (result.Outcome)
        {
            case DisclosureOutcome.NotFound:
                return NotFound();
            case DisclosureOutcome.Stored:
                var shared = result.Disclosure!;
                TempData["PersonNotice"] = shared.AgreementTitle is { } agreement
                    ? $"Information shared with {shared.RecipientName} and added to the disclosure log, under the agreement '{agreement}'"
                    : $"Information shared with {shared.RecipientName} and added to the disclosure log. No active information-sharing agreement covers this recipient and purpose: tell your information governance team";
                return Redirect($"/people/{id}#disclosures");
        }

        var reload = await LoadAsync(id, null);
        if (reload is not null)
        {
            return reload;
        }

        AddError("DisclosedOn", dateError);
        AddErrors(result.Errors);
        Refusals = result.Reasons;
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, string? purpose)
    {
        Id = id;
        // A post has already opened (and audited) the record through ShareAsync; the page only needs the options.
        var opened = await disclosures.OpenAsync(User.UserId(), id, purpose ?? "share information", HttpContext.RequestAborted);
        if (opened is not { } record)
        {
            return NotFound();
        }

        Restricted = record.Restricted;
        if (record.Person is { } person)
        {
            PersonName = person.FullName;
        }

        Options = await disclosures.OptionsAsync(record.OrganisationId, HttpContext.RequestAborted);
        if (string.IsNullOrEmpty(Purpose) && Options.Count == 1)
        {
            Purpose = Options[0].Code;
        }

        Selected = Options.FirstOrDefault(o => o.Code == Purpose);
        if (HttpMethods.IsGet(Request.Method))
        {
            When ??= "made";
        }

        return null;
    }
}
