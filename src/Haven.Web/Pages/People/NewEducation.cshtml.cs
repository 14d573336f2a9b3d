using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Haven.Web.Pages.People;

/// <summary>One page per kind of education fact: /people/{id}/education/{kind}/new, kind being one of EducationService.Kinds.</summary>
[Authorize(Policy = Permissions.RecordPeople)]
[BindProperties]
public sealed class NewEducationModel(RecordAccessService access, EducationService education) : PersonFactPageModel(access)
{
    public string? ProviderName { get; set; }
    public string? Urn { get; set; }
    public string? Provision { get; set; }
    public string? PlanType { get; set; }
    public string? StartedOnDay { get; set; }
    public string? StartedOnMonth { get; set; }
    public string? StartedOnYear { get; set; }
    public string? EndedOnDay { get; set; }
    public string? EndedOnMonth { get; set; }
    public string? EndedOnYear { get; set; }
    public string? LastReviewedOnDay { get; set; }
    public string? LastReviewedOnMonth { get; set; }
    public string? LastReviewedOnYear { get; set; }
    public string? NextReviewOnDay { get; set; }
    public string? NextReviewOnMonth { get; set; }
    public string? NextReviewOnYear { get; set; }
    public string? PossibleSessions { get; set; }
    public string? AttendedSessions { get; set; }
    public string? ExclusionType { get; set; }
    public string? Days { get; set; }
    public string? Reason { get; set; }
    public string? Description { get; set; }
    public string? Source { get; set; }

    [BindNever]
    public string Kind { get; private set; } = string.Empty;

    public string Heading => EducationService.Kinds.GetValueOrDefault(Kind, "Education");

    protected override string Purpose => "record education";

    public async Task<IActionResult> OnGetAsync(Guid id, string kind)
    {
        if (!EducationService.Kinds.ContainsKey(kind))
        {
            return NotFound();
        }

        Kind = kind;
        return await OpenAsync(id) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string kind)
    {
        if (!EducationService.Kinds.ContainsKey(kind))
        {
            return NotFound();
        }

        Kind = kind;
        if (await OpenAsync(id) is { } refused)
        {
            return refused;
        }

        var (startLabel, endLabel) = kind == EducationService.Attendance ? ("Period start", "Period end") : kind == EducationService.AchievementKind ? ("Date", "End date") : ("Start date", "End date");
        var (possible, possibleError) = EducationService.ParseWhole(PossibleSessions, "Possible sessions");
        var (attended, attendedError) = EducationService.ParseWhole(AttendedSessions, "Attended sessions");
        var (days, daysError) = EducationService.ParseDays(Days);
        var input = new EducationInput
        {
            ProviderName = ProviderName,
            Urn = Urn,
            Provision = Provision,
            PlanType = PlanType,
            StartedOn = ParseDate("StartedOn", StartedOnDay, StartedOnMonth, StartedOnYear, startLabel),
            EndedOn = ParseDate("EndedOn", EndedOnDay, EndedOnMonth, EndedOnYear, endLabel),
            LastReviewedOn = ParseDate("LastReviewedOn", LastReviewedOnDay, LastReviewedOnMonth, LastReviewedOnYear, "Last review date"),
            NextReviewOn = ParseDate("NextReviewOn", NextReviewOnDay, NextReviewOnMonth, NextReviewOnYear, "Next review date"),
            PossibleSessions = possible,
            AttendedSessions = attended,
            ExclusionType = ExclusionType,
            Days = days,
            Reason = Reason,
            Description = Description,
            Source = Source,
        };
        if (kind == EducationService.Attendance)
        {
            AddError("PossibleSessions", possibleError);
            AddError("AttendedSessions", attendedError);
        }

        if (kind == EducationService.Exclusion && ExclusionType == "suspension")
        {
            AddError("Days", daysError);
        }

        if (Errors.Count > 0)
        {
            return Invalid(await education.ValidateAsync(id, kind, input, HttpContext.RequestAborted));
        }

        var result = await education.AddAsync(User.UserId(), id, kind, input, HttpContext.RequestAborted);
        if (!result.Saved)
        {
            return Invalid(result.Errors);
        }

        TempData["PersonNotice"] = "Education record saved";
        return Redirect($"/people/{id}#education");
    }
}
