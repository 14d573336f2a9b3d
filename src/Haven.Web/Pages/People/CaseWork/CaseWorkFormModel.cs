using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Core.Validation;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Haven.Web.Pages.People.CaseWork;

/// <summary>
/// Base for the pages that add case work to a person's record: needs permission to record, and a working
/// relationship with the person (decided and audited by RecordAccessService before anything is shown or stored).
/// Dates post as NameDay, NameMonth and NameYear and are read straight from the form.
/// </summary>
[Authorize(Policy = Permissions.RecordPeople)]
public abstract class CaseWorkFormModel(RecordAccessService access) : HavenPageModel
{
    [BindProperty]
    public string? Source { get; set; }

    [BindNever]
    public Guid PersonId { get; private set; }

    [BindNever]
    public string PersonName { get; private set; } = string.Empty;

    public static IEnumerable<(string Code, string Label)> Options(CodeList list) => list.Select(i => (i.Code, i.Label));

    public SelectFieldModel SourceField => new("Source", "Where did this information come from?", Source, ErrorFor("Source"), Options(ReferenceData.InformationSources));

    /// <summary>Decides access to the person; returns the result to send instead of the page, or null to go on.</summary>
    protected async Task<IActionResult?> OpenAsync(Guid id, string purpose)
    {
        var (decision, person) = await access.OpenRecordAsync(User.UserId(), id, purpose, HttpContext.RequestAborted);
        if (decision.Outcome == AccessOutcome.NotFound)
        {
            return NotFound();
        }

        if (!decision.Allowed)
        {
            // The record page explains why, and offers emergency access where the role allows it.
            return Redirect($"/people/{id}");
        }

        PersonId = id;
        PersonName = person!.FullName;
        return null;
    }

    protected IActionResult Saved(string notice)
    {
        TempData["PersonNotice"] = notice;
        return Redirect($"/people/{PersonId}#case-work");
    }

    private string? FormValue(string key) => Request.HasFormContentType ? Request.Form[key].ToString() : null;

    public DateFieldModel DateField(string name, string label, string? hint = null) =>
        new(name, label, FormValue(name + "Day"), FormValue(name + "Month"), FormValue(name + "Year"), ErrorFor(name), hint);

    /// <summary>Reads a GOV.UK date input from the form, adding an error when it is not a real date.</summary>
    protected DateOnly? ReadDate(string name, string label)
    {
        var (date, error) = DateInput.Parse(FormValue(name + "Day"), FormValue(name + "Month"), FormValue(name + "Year"), label);
        AddError(name, error);
        return date;
    }

    /// <summary>
    /// Shows the service's errors after any the page found itself (dates that are not real dates), in the order the
    /// fields appear on the form.
    /// </summary>
    protected void ShowErrors(IReadOnlyDictionary<string, string> serviceErrors, params string[] fieldOrder)
    {
        var merged = new Dictionary<string, string>(Errors);
        foreach (var (field, message) in serviceErrors)
        {
            merged.TryAdd(field, message);
        }

        Errors.Clear();
        foreach (var field in fieldOrder.Where(merged.ContainsKey))
        {
            Errors[field] = merged[field];
        }

        foreach (var (field, message) in merged)
        {
            Errors.TryAdd(field, message);
        }
    }
}
