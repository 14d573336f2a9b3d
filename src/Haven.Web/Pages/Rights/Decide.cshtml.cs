using Haven.Core.Rights;
using Haven.Core.Validation;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Rights;

/// <summary>
/// The decision on one right of a request (rectification, erasure, restriction, objection, consent withdrawal,
/// portability): the matched records and the right's own form. Another organisation's request, and a right the
/// request does not ask for, are not found.
/// </summary>
public sealed class DecideModel(RightsRequestService requests, RectificationService rectification, ErasureService erasure, RestrictionService restriction,
    ObjectionService objection, ConsentService consents, PortabilityExport portability) : HavenPageModel
{
    public RequestDetail Detail { get; private set; } = null!;
    public string Right { get; private set; } = string.Empty;
    public RightsRequestDecision? Decision { get; private set; }
    public IReadOnlyList<RectificationItem> Items { get; private set; } = [];
    public IReadOnlyList<RestrictionSummary> Restrictions { get; private set; } = [];
    public IReadOnlyList<ConsentView> Consents { get; private set; } = [];
    public IReadOnlyList<(string Code, string Name)> Services { get; private set; } = [];
    public PortabilityData? Export { get; private set; }
    public IReadOnlyList<OutboundMessage> Notices { get; private set; } = [];
    public string? Confirmation { get; private set; }

    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? Ground { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? Statement { get; set; }
    [BindProperty] public string? ProcessingStops { get; set; }
    [BindProperty] public string? RestrictReason { get; set; }
    [BindProperty] public Guid? PersonId { get; set; }
    [BindProperty] public string? Field { get; set; }
    [BindProperty] public string? Information { get; set; }
    [BindProperty] public string? CurrentValue { get; set; }
    [BindProperty] public string? ProposedValue { get; set; }
    [BindProperty] public List<Guid> CorrectedItemIds { get; set; } = [];
    [BindProperty] public bool ApplyDirectly { get; set; }
    [BindProperty] public List<Guid> ConsentIds { get; set; } = [];
    [BindProperty] public Guid? ConsentPersonId { get; set; }
    [BindProperty] public string? ConsentService { get; set; }
    [BindProperty] public string? ConsentPurpose { get; set; }
    [BindProperty] public string? ConsentGivenOnDay { get; set; }
    [BindProperty] public string? ConsentGivenOnMonth { get; set; }
    [BindProperty] public string? ConsentGivenOnYear { get; set; }

    public string RightLabel => RightsCodes.ShortLabel(Right);

    public async Task<IActionResult> OnGetAsync(Guid id, string right)
    {
        Confirmation = TempData["RightsDecided"] as string;
        return await LoadAsync(id, right);
    }

    public async Task<IActionResult> OnGetDownloadAsync(Guid id, string right, string? format)
    {
        if (right != RightsCodes.Portability || await portability.DownloadAsync(User.UserId(), id, format ?? "json", HttpContext.RequestAborted) is not { } file)
        {
            return NotFound();
        }

        return File(file.Bytes, file.ContentType, file.FileName);
    }

    public Task<IActionResult> OnPostProposeAsync(Guid id, string right) =>
        RunAsync(id, right, RightsCodes.Rectification, async () => await rectification.ProposeAsync(User.UserId(), id,
            new RectificationInput(PersonId, Field, Information, CurrentValue, ProposedValue), HttpContext.RequestAborted),
            "Correction recorded. Add any others, then record the decision.");

    public async Task<IActionResult> OnPostRectifyAsync(Guid id, string right)
    {
        RectificationResult? result = null;
        return await RunAsync(id, right, RightsCodes.Rectification, async () =>
        {
            result = await rectification.DecideAsync(User.UserId(), id, new RectificationDecisionInput(CorrectedItemIds, ApplyDirectly, Reason, Statement), HttpContext.RequestAborted);
            return result.Errors;
        }, () => result!.RecipientsTold.Count == 0
            ? "Rectification decided. The requester has been told. The subject's data has not been disclosed to anyone, so no one else needed to be told."
            : $"Rectification decided. A notice of the correction has been sent to {result.RecipientsTold.Count} recipient{(result.RecipientsTold.Count == 1 ? "" : "s")}: {string.Join(", ", result.RecipientsTold)}.");
    }

    public async Task<IActionResult> OnPostErasureAsync(Guid id, string right)
    {
        ErasureResult? result = null;
        if (Outcome is not (OtherRightsCodes.Granted or OtherRightsCodes.Refused))
        {
            AddError("Outcome", "Select whether to erase the information or refuse");
            return await LoadAsync(id, right);
        }

        return await RunAsync(id, right, RightsCodes.Erasure, async () =>
        {
            result = await erasure.DecideAsync(User.UserId(), id, Outcome == OtherRightsCodes.Granted, Ground, Reason, HttpContext.RequestAborted);
            return result.Errors;
        }, () => result!.Message!);
    }

    public async Task<IActionResult> OnPostRestrictAsync(Guid id, string right)
    {
        if (Outcome is not (OtherRightsCodes.Granted or OtherRightsCodes.Refused))
        {
            AddError("Outcome", "Select whether to restrict the record or refuse");
            return await LoadAsync(id, right);
        }

        return await RunAsync(id, right, RightsCodes.Restriction, async () => Outcome == OtherRightsCodes.Granted
                ? await restriction.PlaceAsync(User.UserId(), id, Reason, HttpContext.RequestAborted)
                : await restriction.RefuseAsync(User.UserId(), id, Reason, HttpContext.RequestAborted),
            Outcome == OtherRightsCodes.Granted
                ? "Processing restricted. Only the Data Protection Officer can open the record; nothing can be added, changed, shared or destroyed until the restriction is lifted."
                : "Restriction refused. The requester has been sent the reason.");
    }

    public Task<IActionResult> OnPostRestrictObjectionAsync(Guid id, string right) =>
        RunAsync(id, right, RightsCodes.Objection, async () =>
        {
            var errors = await restriction.PlaceWhileObjectionConsideredAsync(User.UserId(), id, RestrictReason, HttpContext.RequestAborted);
            return errors.ToDictionary(e => e.Key == "Reason" ? "RestrictReason" : e.Key, e => e.Value);
        }, "Processing restricted while the objection is considered.");

    public async Task<IActionResult> OnPostObjectionAsync(Guid id, string right)
    {
        if (Outcome is not (OtherRightsCodes.Granted or OtherRightsCodes.Refused))
        {
            AddError("Outcome", "Select whether the objection is upheld or refused");
            return await LoadAsync(id, right);
        }

        return await RunAsync(id, right, RightsCodes.Objection, async () =>
                await objection.DecideAsync(User.UserId(), id, Outcome == OtherRightsCodes.Granted, Ground, ProcessingStops, Reason, HttpContext.RequestAborted),
            Outcome == OtherRightsCodes.Granted ? "Objection upheld. The requester has been told what processing stops." : "Objection refused. The requester has been sent the ground and reason.");
    }

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, string right) =>
        RunAsync(id, right, RightsCodes.ConsentWithdrawal, async () => await consents.WithdrawAsync(User.UserId(), id, ConsentIds, Reason, HttpContext.RequestAborted),
            "Consent withdrawn. Processing that relied on it has stopped: sharing that needs the person's consent is now refused.");

    public async Task<IActionResult> OnPostConsentAsync(Guid id, string right)
    {
        var (givenOn, dateError) = DateInput.Parse(ConsentGivenOnDay, ConsentGivenOnMonth, ConsentGivenOnYear, "Date consent was given", required: true);
        if (dateError is not null)
        {
            AddError("ConsentGivenOn", dateError);
            return await LoadAsync(id, right);
        }

        return await RunAsync(id, right, RightsCodes.ConsentWithdrawal, async () =>
            await consents.RecordAsync(User.UserId(), id, new ConsentInput(ConsentPersonId, ConsentService, ConsentPurpose, givenOn), HttpContext.RequestAborted),
            "Consent recorded.");
    }

    public async Task<IActionResult> OnPostPortabilityAsync(Guid id, string right)
    {
        if (Outcome is not (OtherRightsCodes.Granted or OtherRightsCodes.Refused))
        {
            AddError("Outcome", "Select whether to provide the export or refuse");
            return await LoadAsync(id, right);
        }

        return await RunAsync(id, right, RightsCodes.Portability, async () =>
                await portability.DecideAsync(User.UserId(), id, Outcome == OtherRightsCodes.Granted, Reason, HttpContext.RequestAborted),
            Outcome == OtherRightsCodes.Granted ? "Portability granted. Download the export below and send it to the requester securely." : "Portability refused. The requester has been sent the reason.");
    }

    private Task<IActionResult> RunAsync(Guid id, string right, string expected, Func<Task<IReadOnlyDictionary<string, string>>> action, string success) =>
        RunAsync(id, right, expected, action, () => success);

    private async Task<IActionResult> RunAsync(Guid id, string right, string expected, Func<Task<IReadOnlyDictionary<string, string>>> action, Func<string> success)
    {
        if (right != expected)
        {
            return NotFound();
        }

        var errors = await action();
        if (errors.Count > 0)
        {
            AddErrors(errors);
            return await LoadAsync(id, right);
        }

        TempData["RightsDecided"] = success();
        return RedirectToPage(new { id, right });
    }

    private async Task<IActionResult> LoadAsync(Guid id, string right)
    {
        var detail = await requests.DetailAsync(User.UserId(), id, HttpContext.RequestAborted);
        if (detail is null || !OtherRightsCodes.Decidable.Contains(right) || !detail.Request.Rights.Contains(right))
        {
            // Unknown, another organisation's, or a right the request does not ask for: one answer for all.
            return NotFound();
        }

        Detail = detail;
        Right = right;
        Decision = detail.Decisions.LastOrDefault(d => d.RightCode == right);
        switch (right)
        {
            case RightsCodes.Rectification:
                Items = await rectification.ItemsAsync(id, HttpContext.RequestAborted);
                Notices = detail.Messages.Where(m => m.Kind == "rectification_notice").ToList();
                break;
            case RightsCodes.Restriction or RightsCodes.Objection:
                Restrictions = await restriction.ListAsync(User.UserId(), includeLifted: true, requestId: id, HttpContext.RequestAborted);
                break;
            case RightsCodes.ConsentWithdrawal:
                Consents = await consents.ForRequestAsync(id, detail.Request.OrganisationId, HttpContext.RequestAborted);
                Services = await consents.ServicesAsync(detail.Request.OrganisationId, HttpContext.RequestAborted);
                break;
            case RightsCodes.Portability:
                Export = await portability.BuildAsync(User.UserId(), id, HttpContext.RequestAborted);
                break;
        }

        return Page();
    }
}
