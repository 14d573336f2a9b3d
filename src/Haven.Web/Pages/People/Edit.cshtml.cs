using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Haven.Web.Pages.People;

public sealed class EditPersonModel(PeopleService people, RecordAccessService access, CollectionGuard guard) : PersonFormPageModel
{
    [BindProperty]
    public uint Version { get; set; }

    [BindNever]
    public Guid Id { get; private set; }

    [BindNever]
    public string Name { get; private set; } = string.Empty;
    [BindNever]
    public PersonView? Conflict { get; private set; }

    [BindNever]
    public IReadOnlyList<(string Label, string Theirs, string Yours)> Differences { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var (decision, _) = await access.OpenRecordAsync(User.UserId(), id, "change details", HttpContext.RequestAborted);
        if (!decision.Allowed)
        {
            return decision.Outcome == AccessOutcome.NotFound ? NotFound() : Redirect($"/people/{id}");
        }

        var view = (await people.GetAsync(id, HttpContext.RequestAborted))!;
        Id = id;
        Name = view.Person.FullName;
        Version = view.Person.Version;
        Fill(view);
        Scope = await guard.ScopeAsync(view.Person.OrganisationId, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        var (decision, person) = await access.OpenRecordAsync(User.UserId(), id, "change details", HttpContext.RequestAborted);
        if (!decision.Allowed)
        {
            return decision.Outcome == AccessOutcome.NotFound ? NotFound() : Redirect($"/people/{id}");
        }

        Id = id;
        Name = person!.FullName;
        Scope = await guard.ScopeAsync(person.OrganisationId, HttpContext.RequestAborted);
        var input = ToInput();
        if (Errors.Count > 0)
        {
            // Show every problem at once: the other fields are checked too, and nothing is stored.
            AddErrors(await people.CheckAsync(User.UserId(), input, id, HttpContext.RequestAborted));
            return Page();
        }

        var result = await people.UpdateAsync(id, input, Version, HttpContext.RequestAborted);
        AddErrors(result.Errors);
        if (result.Conflict is { } current)
        {
            Conflict = current;
            Differences = Compare(current, input);
            Version = current.Person.Version;
            HttpContext.Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        if (result.Saved)
        {
            TempData["PersonNotice"] = "Changes saved";
            return Redirect($"/people/{id}");
        }

        return Page();
    }

    private static List<(string, string, string)> Compare(PersonView current, PersonInput mine)
    {
        var p = current.Person;
        var rows = new List<(string, string, string)>
        {
            ("First name", p.GivenName, mine.GivenName ?? string.Empty),
            ("Last name", p.FamilyName, mine.FamilyName ?? string.Empty),
            ("Known as", p.KnownAs ?? string.Empty, mine.KnownAs ?? string.Empty),
            ("Date of birth", p.DateOfBirth?.ToString("d MMMM yyyy") ?? string.Empty, mine.DateOfBirth?.ToString("d MMMM yyyy") ?? string.Empty),
            ("Date of death", p.DateOfDeath?.ToString("d MMMM yyyy") ?? string.Empty, mine.DateOfDeath?.ToString("d MMMM yyyy") ?? string.Empty),
            ("Gender", PersonRules.GenderLabel(p.Gender), PersonRules.GenderLabel(mine.Gender)),
            ("Ethnicity", PersonRules.EthnicityLabel(current.Ethnicity), PersonRules.EthnicityLabel(mine.Ethnicity)),
            ("Religion or belief", current.Religion ?? string.Empty, mine.Religion ?? string.Empty),
            ("Disability", current.Disability ?? string.Empty, mine.Disability ?? string.Empty),
            ("Sexual orientation", current.SexualOrientation ?? string.Empty, mine.SexualOrientation ?? string.Empty),
            ("First language", p.FirstLanguage ?? string.Empty, mine.FirstLanguage ?? string.Empty),
            ("NHS number", p.NhsNumber ?? string.Empty, (mine.NhsNumber ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal)),
            ("Unique pupil number", p.Upn ?? string.Empty, mine.Upn?.Trim().ToUpperInvariant() ?? string.Empty),
            ("Phone number", p.Phone ?? string.Empty, mine.Phone ?? string.Empty),
            ("Email address", p.Email ?? string.Empty, mine.Email ?? string.Empty),
            ("Address line 1", current.CurrentAddress?.Line1 ?? string.Empty, mine.AddressLine1 ?? string.Empty),
            ("Postcode", current.CurrentAddress?.Postcode ?? string.Empty, mine.Postcode?.Trim().ToUpperInvariant() ?? string.Empty),
        };
        return rows.Where(r => !string.Equals(r.Item2.Trim(), r.Item3.Trim(), StringComparison.Ordinal)).ToList();
    }
}
