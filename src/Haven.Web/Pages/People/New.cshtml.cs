using Haven.Core.People;
using Haven.Core.Privacy;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Haven.Web.Pages.People;

public sealed class NewPersonModel(PeopleService people, CollectionGuard guard) : PersonFormPageModel
{
    [BindProperty]
    public bool DuplicatesChecked { get; set; }

    [BindNever]
    public IReadOnlyList<DuplicateCandidate> Duplicates { get; private set; } = [];

    public async Task OnGetAsync() => Scope = await guard.ScopeForCurrentUserAsync(HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        Scope = await guard.ScopeForCurrentUserAsync(HttpContext.RequestAborted);
        var input = ToInput();
        if (Errors.Count > 0)
        {
            // Show every problem at once: the other fields are checked too, and nothing is stored.
            AddErrors(await people.CheckAsync(User.UserId(), input, null, HttpContext.RequestAborted));
            return Page();
        }

        var result = await people.CreateAsync(User.UserId(), input, DuplicatesChecked, HttpContext.RequestAborted);
        AddErrors(result.Errors);
        Duplicates = result.Duplicates;
        if (result.Saved)
        {
            TempData["PersonNotice"] = "Record created";
            return Redirect($"/people/{result.PersonId}");
        }

        return Page();
    }
}
