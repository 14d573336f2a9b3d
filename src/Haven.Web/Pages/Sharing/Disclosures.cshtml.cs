using System.Text;
using Haven.Core.Sharing;
using Haven.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Sharing;

/// <summary>The disclosure log of the user's organisation: what went to whom, when, why, on what basis and who recorded it.</summary>
public sealed class DisclosuresModel(DisclosureService disclosures, PartnerService partners) : HavenPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Recipient { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public IReadOnlyList<DisclosureView> Rows { get; private set; } = [];
    public IReadOnlyList<RegisterRecipient> Recipients { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var filter = Filter();
        var organisationId = await partners.OrganisationOfAsync(User.UserId(), HttpContext.RequestAborted);
        Recipients = await partners.RecipientsAsync(organisationId, HttpContext.RequestAborted);
        if (filter is not null)
        {
            Rows = await disclosures.LogAsync(organisationId, filter, export: false, HttpContext.RequestAborted);
        }

        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync()
    {
        var filter = Filter();
        if (filter is null)
        {
            return await OnGetAsync();
        }

        var organisationId = await partners.OrganisationOfAsync(User.UserId(), HttpContext.RequestAborted);
        var rows = await disclosures.LogAsync(organisationId, filter, export: true, HttpContext.RequestAborted);
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(DisclosureLogCsv.Write(rows))).ToArray();
        return File(bytes, "text/csv; charset=utf-8", "disclosure-log.csv");
    }

    private DisclosureFilter? Filter()
    {
        DateOnly? Parse(string field, string? value, string label)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
            {
                return date;
            }

            AddError(field, $"{label} must be a real date");
            return null;
        }

        var from = Parse("From", From, "The start date");
        var to = Parse("To", To, "The end date");
        if (from is { } f && to is { } t && t < f)
        {
            AddError("To", "The end date must be the same as or after the start date");
        }

        return Errors.Count > 0 ? null : new DisclosureFilter(string.IsNullOrWhiteSpace(Recipient) ? null : Recipient, from, to);
    }
}
