using Haven.Core.People;
using Haven.Core.Validation;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Haven.Web.Pages.People;

/// <summary>Search is a POST so that names, dates of birth and NHS numbers never appear in a URL.</summary>
[BindProperties]
public sealed class PersonSearchModel(PersonSearch search) : HavenPageModel
{
    public string? Name { get; set; }
    public string? DateOfBirthDay { get; set; }
    public string? DateOfBirthMonth { get; set; }
    public string? DateOfBirthYear { get; set; }
    public string? NhsNumber { get; set; }
    public string? Postcode { get; set; }

    [BindNever]
    public IReadOnlyList<SearchResult>? Results { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        AddError("Name", TextInput.Check(Name, "Name", 200, required: false));
        var (dob, dobError) = DateInput.Parse(DateOfBirthDay, DateOfBirthMonth, DateOfBirthYear, "Date of birth");
        AddError("DateOfBirth", dobError);
        var (nhs, nhsError) = PersonRules.NhsNumber(NhsNumber);
        AddError("NhsNumber", nhsError);
        var (postcode, postcodeError) = PersonRules.Postcode(Postcode, required: false);
        AddError("Postcode", postcodeError);
        if (Errors.Count == 0 && string.IsNullOrWhiteSpace(Name) && dob is null && nhs is null && postcode is null)
        {
            AddError("Name", "Enter a name, date of birth, NHS number or postcode to search for");
        }

        if (Errors.Count > 0)
        {
            return Page();
        }

        Results = await search.SearchAsync(User.UserId(), new SearchQuery(Name?.Trim() ?? string.Empty, dob, nhs, postcode), HttpContext.RequestAborted);
        return Page();
    }
}
