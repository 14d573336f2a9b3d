using System.Text;
using Haven.Core.Access;
using Haven.Core.Privacy;
using Haven.Core.Security;
using Haven.Core.Sharing;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Haven.Web.Api;

[CollectionPoint("care.contacts")]
public sealed record DisclosureMadeRequest(
    [property: NotPersonalData("A register purpose as service/activity codes")] string? Purpose,
    [property: NotPersonalData("A register recipient code")] string? Recipient,
    [property: NotPersonalData("A partner organisation's identifier")] Guid? PartnerId,
    [property: NotPersonalData("Data category codes")] IReadOnlyList<string>? Categories,
    [property: NotPersonalData("The recipient's country")] string? Country,
    [property: Collects("care.contacts")] string? Summary,
    [property: NotPersonalData("made (sharing now) or recorded (shared earlier)")] string? When,
    [property: NotPersonalData("The date the information was shared")] DateOnly? DisclosedOn,
    [property: NotPersonalData("How it was sent")] string? Method);

/// <summary>400: either errors per field (bad input) or the sharing check's reasons (refused). Nothing was stored.</summary>
public sealed record DisclosureNotMade(string Title, IReadOnlyDictionary<string, string> Errors, IReadOnlyList<string> Reasons);

public sealed record PartnerItem(Guid Id, string Name, string PartnerType, string? Contact, string? Address, string? Email, string? Phone,
    string? Identifier, IReadOnlyList<string> RecipientCodes);

public sealed record AgreementItem(Guid Id, string Title, IReadOnlyList<Guid> PartnerIds, IReadOnlyList<string> Purposes, IReadOnlyList<string> Categories,
    string LawfulBasis, DateOnly StartsOn, DateOnly ReviewOn, DateOnly? EndsOn, string Status, bool OverdueForReview);

/// <summary>
/// Sharing under /api/v1: disclosures about a person (made through the sharing check, or recorded after the fact),
/// the organisation's disclosure log, partner organisations and information-sharing agreements.
/// </summary>
public static class SharingApi
{
    /// <summary>The same answer for a record that does not exist and one the caller may not open or share from.</summary>
    private static readonly ProblemDetailsBody NoRecord = new("Not found", "There is no record with this identifier that you can open.");

    public static RouteGroupBuilder MapSharingApi(this RouteGroupBuilder api)
    {
        api.MapPost("/people/{id:guid}/disclosures", DiscloseAsync).RequireAuthorization(Permissions.RecordPeople)
            .WithName("MakeDisclosure").WithSummary("Share information about a person (when: made) or record a disclosure already made (when: recorded, with disclosedOn). Checked against the privacy register, the person's restriction and consents: 400 lists the reasons and nothing is stored. 404 for a record that does not exist or that you cannot open.");
        api.MapGet("/people/{id:guid}/disclosures", ForPersonAsync).RequireAuthorization(Permissions.ViewPeople)
            .WithName("GetPersonDisclosures").WithSummary("What has been shared about a person, newest first. Audited as a read of the record.");
        api.MapGet("/sharing/disclosures", LogAsync).RequireAuthorization(Permissions.ManageSharing)
            .WithName("GetDisclosureLog").WithSummary("Your organisation's disclosure log (?recipient=code&from=yyyy-mm-dd&to=yyyy-mm-dd; format=csv for a spreadsheet). Audited.");
        api.MapGet("/sharing/partners", PartnersAsync).RequireAuthorization(Permissions.ManageSharing)
            .WithName("GetSharingPartners").WithSummary("Your organisation's partner organisations and the register recipients each is linked to.");
        api.MapGet("/sharing/agreements", AgreementsAsync).RequireAuthorization(Permissions.ManageSharing)
            .WithName("GetSharingAgreements").WithSummary("Your organisation's information-sharing agreements, with an overdue-for-review flag.");
        return api;
    }

    private static async Task<Results<Created<DisclosureView>, BadRequest<DisclosureNotMade>, NotFound<ProblemDetailsBody>>> DiscloseAsync(Guid id, DisclosureMadeRequest request,
        DisclosureService disclosures, HttpContext http)
    {
        var input = new DisclosureInput
        {
            Purpose = request.Purpose,
            Recipient = request.Recipient,
            PartnerId = request.PartnerId,
            Categories = request.Categories ?? [],
            Country = request.Country,
            Summary = request.Summary,
            When = request.When,
            DisclosedOn = request.DisclosedOn,
            Method = request.Method,
        };
        var result = await disclosures.ShareAsync(http.User.UserId(), id, input, http.RequestAborted);
        return result.Outcome switch
        {
            DisclosureOutcome.Stored => TypedResults.Created($"/api/v1/people/{id}/disclosures", result.Disclosure),
            DisclosureOutcome.NotFound => TypedResults.NotFound(NoRecord),
            DisclosureOutcome.Refused => TypedResults.BadRequest(new DisclosureNotMade("Haven cannot share this information", result.Errors, result.Reasons)),
            _ => TypedResults.BadRequest(new DisclosureNotMade("Check the disclosure", result.Errors, result.Reasons)),
        };
    }

    private static async Task<Results<Ok<IReadOnlyList<DisclosureView>>, NotFound<ProblemDetailsBody>>> ForPersonAsync(Guid id, RecordAccessService access,
        DisclosureService disclosures, HttpContext http)
    {
        var (decision, _) = await access.OpenRecordAsync(http.User.UserId(), id, "read disclosures", http.RequestAborted);
        return decision.Allowed ? TypedResults.Ok(await disclosures.ForPersonAsync(id, http.RequestAborted)) : TypedResults.NotFound(NoRecord);
    }

    private static async Task<Results<Ok<IReadOnlyList<DisclosureView>>, FileContentHttpResult, BadRequest<ProblemDetailsBody>>> LogAsync(string? recipient, DateOnly? from, DateOnly? to, string? format,
        DisclosureService disclosures, PartnerService partners, HttpContext http)
    {
        if (from is { } f && to is { } t && t < f)
        {
            return TypedResults.BadRequest(new ProblemDetailsBody("Check the dates", "The end date must be the same as or after the start date."));
        }

        var organisationId = await partners.OrganisationOfAsync(http.User.UserId(), http.RequestAborted);
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        var rows = await disclosures.LogAsync(organisationId, new DisclosureFilter(recipient, from, to), csv, http.RequestAborted);
        return csv
            ? TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(DisclosureLogCsv.Write(rows))).ToArray(), "text/csv; charset=utf-8", "disclosure-log.csv")
            : TypedResults.Ok(rows);
    }

    private static async Task<Ok<IReadOnlyList<PartnerItem>>> PartnersAsync(PartnerService partners, HttpContext http)
    {
        var organisationId = await partners.OrganisationOfAsync(http.User.UserId(), http.RequestAborted);
        var list = await partners.PartnersAsync(organisationId, http.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<PartnerItem>>(list.Select(p => new PartnerItem(p.Id, p.Name, p.PartnerType, p.Contact, p.Address, p.Email, p.Phone, p.Identifier, p.RecipientCodes)).ToList());
    }

    private static async Task<Ok<IReadOnlyList<AgreementItem>>> AgreementsAsync(PartnerService partners, HttpContext http)
    {
        var organisationId = await partners.OrganisationOfAsync(http.User.UserId(), http.RequestAborted);
        var list = await partners.AgreementsAsync(organisationId, http.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<AgreementItem>>(list.Select(a => new AgreementItem(a.Id, a.Title, a.PartnerIds, a.Purposes, a.Categories,
            a.LawfulBasis, a.StartsOn, a.ReviewOn, a.EndsOn, a.Status, a.OverdueForReview(partners.Today))).ToList());
    }
}
