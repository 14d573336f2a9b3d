using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Haven.Web.Pages;

/// <summary>Base for Haven pages: collects errors in the order fields appear, for the GOV.UK error summary.</summary>
public abstract class HavenPageModel : PageModel
{
    public Dictionary<string, string> Errors { get; } = [];

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    protected void AddError(string field, string? message)
    {
        if (message is not null && !Errors.ContainsKey(field))
        {
            Errors[field] = message;
        }
    }

    protected void AddErrors(IReadOnlyDictionary<string, string> errors)
    {
        foreach (var (field, message) in errors)
        {
            AddError(field, message);
        }
    }

    public override void OnPageHandlerExecuted(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutedContext context)
    {
        ViewData["HasErrors"] = Errors.Count > 0;
        base.OnPageHandlerExecuted(context);
    }
}
