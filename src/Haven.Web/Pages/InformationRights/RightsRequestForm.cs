using Haven.Core.Data.Entities;
using Haven.Core.Privacy;
using Haven.Core.Rights;
using Haven.Core.Validation;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.InformationRights;

/// <summary>The fields of a rights request, shared by the public form and staff intake.</summary>
public abstract class RightsRequestFormModel(RegisterService register) : HavenPageModel
{
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    [BindProperty] public string? Organisation { get; set; }
    [BindProperty] public List<string> Rights { get; set; } = [];
    [BindProperty] public string? Relationship { get; set; }
    [BindProperty] public string? RequesterName { get; set; }
    [BindProperty] public string? RequesterEmail { get; set; }
    [BindProperty] public string? RequesterPhone { get; set; }
    [BindProperty] public string? RequesterAddress { get; set; }
    [BindProperty] public string? SubjectName { get; set; }
    [BindProperty] public string? SubjectOtherNames { get; set; }
    [BindProperty] public string? SubjectDateOfBirthDay { get; set; }
    [BindProperty] public string? SubjectDateOfBirthMonth { get; set; }
    [BindProperty] public string? SubjectDateOfBirthYear { get; set; }
    [BindProperty] public string? SubjectAddress { get; set; }
    [BindProperty] public string? Details { get; set; }

    /// <summary>Staff intake only: how and when the request arrived.</summary>
    public virtual bool IsStaffIntake => false;

    protected async Task LoadOrganisationsAsync() => Organisations = await register.OrganisationsWithRegisterAsync(HttpContext.RequestAborted);

    /// <summary>Reads the form into an input; date errors are added to the page's errors.</summary>
    protected RightsRequestInput ReadInput(string? channel = null, DateOnly? receivedOn = null)
    {
        var (born, dateError) = DateInput.Parse(SubjectDateOfBirthDay, SubjectDateOfBirthMonth, SubjectDateOfBirthYear, "Date of birth");
        AddError("SubjectDateOfBirth", dateError);
        return new RightsRequestInput(Organisation, Rights, Relationship, RequesterName, RequesterEmail, RequesterPhone, RequesterAddress,
            SubjectName, SubjectOtherNames, born, SubjectAddress, Details, channel, receivedOn);
    }
}
