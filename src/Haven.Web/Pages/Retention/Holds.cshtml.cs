using System.Globalization;
using Haven.Core.Data;
using Haven.Core.Data.Entities;
using Haven.Core.Retention;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Haven.Web.Pages.Retention;

/// <summary>Legal holds: what they cover, why and on whose authority; place a new one; release one with a reason.</summary>
public sealed class HoldsModel(LegalHoldService holds, HavenDbContext db) : HavenPageModel
{
    public IReadOnlyList<LegalHold> Holds { get; private set; } = [];
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];
    public string? Confirmation { get; private set; }

    [BindProperty] public string? Scope { get; set; }
    [BindProperty] public string? PersonId { get; set; }
    [BindProperty] public string? OrganisationId { get; set; }
    [BindProperty] public string? RecordType { get; set; }
    [BindProperty] public string? Criterion { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? Authority { get; set; }
    [BindProperty] public string? StartsOn { get; set; }
    [BindProperty] public string? EndsOn { get; set; }
    [BindProperty] public Guid HoldId { get; set; }
    [BindProperty] public string? ReleaseReason { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostPlaceAsync()
    {
        var personId = ParseGuid("PersonId", PersonId, Scope is "person" or "case", "Enter the Haven record number of the person");
        var organisationId = ParseGuid("OrganisationId", OrganisationId, false, "Select the organisation");
        var starts = ParseDate("StartsOn", StartsOn);
        var ends = ParseDate("EndsOn", EndsOn);
        if (Errors.Count > 0)
        {
            // A number or date that could not be read: nothing is stored until it is corrected.
            await LoadAsync();
            return Page();
        }

        var (errors, id) = await holds.PlaceAsync(User.UserId(),
            new LegalHoldInput(Scope, organisationId, personId, RecordType, Criterion, Reason, Authority, starts, ends), HttpContext.RequestAborted);
        AddErrors(errors);
        if (id is not null && Errors.Count == 0)
        {
            Confirmation = "Legal hold placed. Nothing it covers will be destroyed or anonymised while it is in force.";
            (Scope, PersonId, OrganisationId, RecordType, Criterion, Reason, Authority, StartsOn, EndsOn) = (null, null, null, null, null, null, null, null, null);
        }

        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostReleaseAsync()
    {
        if (await holds.ReleaseAsync(User.UserId(), HoldId, ReleaseReason, HttpContext.RequestAborted) is { } error)
        {
            AddError($"ReleaseReason-{HoldId}", error);
        }
        else
        {
            Confirmation = "Legal hold released. Records it kept that are overdue will be disposed of at the next retention run.";
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Holds = await holds.ListAsync(HttpContext.RequestAborted);
        Organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.Name).ToListAsync(HttpContext.RequestAborted);
    }

    private Guid? ParseGuid(string field, string? text, bool required, string message)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Guid.TryParse(text.Trim(), out var id))
        {
            return id;
        }

        AddError(field, required ? message : "Select a value from the list");
        return null;
    }

    private DateOnly? ParseDate(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        AddError(field, "Enter the date as year-month-day, for example 2026-01-31");
        return null;
    }
}
