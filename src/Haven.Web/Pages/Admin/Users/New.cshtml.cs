using System.Globalization;
using Haven.Core.Data;
using Haven.Core.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Haven.Web.Pages.Admin.Users;

public sealed class NewUserModel(UserAdminService users, HavenDbContext db) : HavenPageModel
{
    public sealed record Option(Guid Id, string Name);
    public sealed record TeamOption(Guid Id, string Label);

    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? JobTitle { get; set; }
    [BindProperty] public string? OrganisationId { get; set; }
    [BindProperty] public string? TeamId { get; set; }
    [BindProperty] public List<string> Roles { get; set; } = [];
    [BindProperty] public string? TrainingOn { get; set; }

    public IReadOnlyList<Option> Organisations { get; private set; } = [];
    public IReadOnlyList<TeamOption> Teams { get; private set; } = [];
    public string? CreatedPassword { get; private set; }

    public Task OnGetAsync() => LoadOptionsAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        Guid? organisationId = Guid.TryParse(OrganisationId, out var org) ? org : null;
        Guid? teamId = Guid.TryParse(TeamId, out var team) ? team : null;
        if (!string.IsNullOrEmpty(TeamId) && teamId is null)
        {
            AddError("TeamId", "Select a team from the list");
        }

        DateOnly? trainingOn = null;
        if (!string.IsNullOrWhiteSpace(TrainingOn))
        {
            if (DateOnly.TryParseExact(TrainingOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                trainingOn = parsed;
            }
            else
            {
                AddError("TrainingOn", "Date of data protection training must be a real date");
            }
        }

        var (errors, user, password) = await users.CreateAsync(new NewUser(Email, DisplayName, JobTitle, Roles, organisationId, teamId, trainingOn), validateOnly: Errors.Count > 0, HttpContext.RequestAborted);
        AddErrors(errors);
        if (Errors.Count > 0 || user is null)
        {
            await LoadOptionsAsync();
            return Page();
        }

        CreatedPassword = password;
        return Page();
    }

    private async Task LoadOptionsAsync()
    {
        Organisations = await db.Organisations.OrderBy(o => o.Name).Select(o => new Option(o.Id, o.Name)).ToListAsync();
        Teams = await (from t in db.Teams join o in db.Organisations on t.OrganisationId equals o.Id orderby o.Name, t.Name select new TeamOption(t.Id, o.Name + ": " + t.Name)).ToListAsync();
    }

    public Guid? SelectedOrganisation => Guid.TryParse(OrganisationId, out var id) ? id : null;
}
