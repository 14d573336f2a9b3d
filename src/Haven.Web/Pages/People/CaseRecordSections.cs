using Haven.Core.Access;
using Haven.Core.People;
using Haven.Core.Security;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.People;

/// <summary>What a record-page section shows: the person, whether the viewer may add to it, and the data.</summary>
public sealed record CaseSection<T>(Guid PersonId, string PersonType, bool CanEdit, DateOnly Today, T Data);

/// <summary>
/// The family, involvements and education sections of the person's record page. Each is a view component that loads
/// its own data, so Details.cshtml includes it with one line. They render only for a record the page has already
/// opened (the page passes the allowed AccessDecision from RecordAccessService.OpenRecordAsync); otherwise nothing.
/// </summary>
public sealed class FamilySectionViewComponent(FamilyService family, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid personId, string personType, AccessDecision? decision)
    {
        if (decision?.Allowed != true)
        {
            return Content(string.Empty);
        }

        var data = await family.FamilyAsync(UserClaimsPrincipal.UserId(), personId, HttpContext.RequestAborted);
        return View("~/Pages/People/_FamilySection.cshtml", Section(personId, personType, data));
    }

    private CaseSection<FamilyView> Section(Guid personId, string personType, FamilyView data) =>
        new(personId, personType, UserClaimsPrincipal.Can(Permissions.RecordPeople), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), data);
}

public sealed class InvolvementsSectionViewComponent(InvolvementService involvements, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid personId, string personType, AccessDecision? decision)
    {
        if (decision?.Allowed != true)
        {
            return Content(string.Empty);
        }

        var data = await involvements.ListAsync(personId, HttpContext.RequestAborted);
        return View("~/Pages/People/_InvolvementsSection.cshtml",
            new CaseSection<InvolvementsView>(personId, personType, UserClaimsPrincipal.Can(Permissions.RecordPeople), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), data));
    }
}

public sealed class EducationSectionViewComponent(EducationService education, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid personId, string personType, AccessDecision? decision)
    {
        if (decision?.Allowed != true || personType == "unborn")
        {
            return Content(string.Empty);
        }

        var data = await education.GetAsync(personId, HttpContext.RequestAborted);
        return View("~/Pages/People/_EducationSection.cshtml",
            new CaseSection<EducationView>(personId, personType, UserClaimsPrincipal.Can(Permissions.RecordPeople), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), data));
    }
}

/// <summary>The disclosures from the record, and the "Share information" action for those who may record.</summary>
public sealed class DisclosuresSectionViewComponent(Haven.Core.Sharing.DisclosureService disclosures, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid personId, string personType, AccessDecision? decision, bool canShare)
    {
        if (decision?.Allowed != true)
        {
            return Content(string.Empty);
        }

        var data = await disclosures.ForPersonAsync(personId, HttpContext.RequestAborted);
        return View("~/Pages/People/_DisclosuresSection.cshtml",
            new CaseSection<IReadOnlyList<Haven.Core.Sharing.DisclosureView>>(personId, personType, canShare && UserClaimsPrincipal.Can(Permissions.RecordPeople),
                DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), data));
    }
}
