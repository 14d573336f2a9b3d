using Haven.Core.Access;
using Haven.Core.Data;
using Haven.Web.Infrastructure;

namespace Haven.Web.Pages;

public sealed class IndexModel(HavenDbContext db, RecordAccessService access) : HavenPageModel
{
    public bool CanViewPeople { get; private set; }
    public bool TrainingCurrent { get; private set; }
    public IReadOnlyList<CaseloadEntry> Caseload { get; private set; } = [];
    public IReadOnlyList<string> Permissions { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var user = (await db.Users.FindAsync(User.UserId()))!;
        CanViewPeople = Core.Security.Permissions.Grants(user.Roles, Core.Security.Permissions.ViewPeople);
        TrainingCurrent = access.TrainingCurrent(user);
        Permissions = Core.Security.Permissions.All.Where(p => Core.Security.Permissions.Grants(user.Roles, p)).ToList();
        if (CanViewPeople && TrainingCurrent)
        {
            Caseload = await access.CaseloadAsync(user.Id, HttpContext.RequestAborted);
        }
    }

    public static string DescribeBasis(string basis) => basis switch
    {
        RecordAccessService.BasisAllocatedWorker => "Allocated worker",
        RecordAccessService.BasisTeam => "Your team's case",
        RecordAccessService.BasisReviewTeam => "Review team",
        RecordAccessService.BasisPartnerContributor => "Contributor to a request",
        RecordAccessService.BasisBreakGlass => "Emergency access",
        _ => basis,
    };
}
