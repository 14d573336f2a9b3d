using Haven.Core.Access;
using Haven.Core.Data.Entities;
using Haven.Core.Validation;
using Haven.Web.Api;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Haven.Web.Pages.People;

/// <summary>
/// Base for pages that show or record one kind of fact on a person's record (relationships, household, involvements,
/// education). Every request opens the record through RecordAccessService first, which audits the read: an unknown
/// record is a 404, a refusal is a 403 page with the standard explanation and no data.
/// </summary>
public abstract class PersonFactPageModel(RecordAccessService access) : HavenPageModel
{
    [BindNever]
    public Guid Id { get; private set; }

    [BindNever]
    public Person? Person { get; private set; }

    [BindNever]
    public AccessDecision? Decision { get; private set; }

    public string Explanation => Decision is null ? string.Empty : AccessMessages.Explain(Decision);

    /// <summary>Why the record is opened, as written to the audit chain.</summary>
    protected abstract string Purpose { get; }

    /// <summary>Opens the record. Returns the result to send when the user may not continue, or null when they may.</summary>
    protected async Task<IActionResult?> OpenAsync(Guid id)
    {
        Id = id;
        var (decision, person) = await access.OpenRecordAsync(User.UserId(), id, Purpose, HttpContext.RequestAborted);
        if (decision.Outcome == AccessOutcome.NotFound)
        {
            return NotFound();
        }

        Decision = decision;
        if (!decision.Allowed)
        {
            HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        Person = person;
        return null;
    }

    /// <summary>Reads a GOV.UK date input, adding an error for the field when the date is not a real one.</summary>
    protected DateOnly? ParseDate(string field, string? day, string? month, string? year, string label)
    {
        var (date, error) = DateInput.Parse(day, month, year, label);
        AddError(field, error);
        return date;
    }

    protected Guid? ParseRecordNumber(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Guid.TryParse(value.Trim(), out var id))
        {
            return id;
        }

        AddError(field, "Enter the Haven record number as it appears on the person's record, like 3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        return null;
    }

    /// <summary>Shows every problem at once: errors from the form (dates, numbers) first, then the service's checks.</summary>
    protected IActionResult Invalid(IReadOnlyDictionary<string, string> serviceErrors)
    {
        AddErrors(serviceErrors);
        return Page();
    }
}
