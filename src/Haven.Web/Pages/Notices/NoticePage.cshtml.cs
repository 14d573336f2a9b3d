using System.Globalization;
using Haven.Core.Privacy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Haven.Web.Pages.Notices;

/// <summary>
/// A published privacy notice, rendered from the register version in force today, on a past date (?date=YYYY-MM-DD)
/// or a named version (?version=N). Public: anyone may read a notice.
/// </summary>
[AllowAnonymous]
public sealed class NoticePageModel(RegisterService register, TimeProvider clock) : HavenPageModel
{
    [BindProperty(SupportsGet = true, Name = "date")]
    public string? DateText { get; set; }

    [BindProperty(SupportsGet = true, Name = "version")]
    public int? VersionNumber { get; set; }

    public Notice? Notice { get; private set; }
    public LoadedRegister? Register { get; private set; }
    public string OrganisationCode { get; private set; } = string.Empty;
    public string? ServiceCode { get; private set; }
    public DateOnly? AsOf { get; private set; }
    public string? NotInForceMessage { get; private set; }
    public bool IsCurrent { get; private set; }

    public async Task<IActionResult> OnGetAsync(string org, string? service)
    {
        var organisation = await register.OrganisationByCodeAsync(org, HttpContext.RequestAborted);
        if (organisation is null)
        {
            return NotFound();
        }

        OrganisationCode = organisation.ShortName;
        ServiceCode = service;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var current = await register.InForceAsync(organisation.Id, today, HttpContext.RequestAborted);
        if (VersionNumber is { } number)
        {
            var version = (await register.VersionsAsync(organisation.Id, HttpContext.RequestAborted)).FirstOrDefault(v => v.Version == number);
            if (version is null)
            {
                AddError("version", $"There is no version {number} of this notice. Choose one from the list of past versions");
            }
            else
            {
                Register = await register.LoadAsync(version.Id, HttpContext.RequestAborted);
            }
        }
        else if (!string.IsNullOrWhiteSpace(DateText))
        {
            if (!DateOnly.TryParseExact(DateText.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                AddError("date", "Enter the date as year-month-day, for example 2025-04-01");
            }
            else
            {
                AsOf = date;
                Register = await register.InForceAsync(organisation.Id, date, HttpContext.RequestAborted);
                if (Register is null)
                {
                    var earliest = (await register.VersionsAsync(organisation.Id, HttpContext.RequestAborted)).MinBy(v => v.EffectiveFrom);
                    NotInForceMessage = earliest is null
                        ? "This organisation has not published a notice in Haven yet."
                        : $"No notice was in force on {date:d MMMM yyyy}. The earliest notice in Haven took effect on {earliest.EffectiveFrom:d MMMM yyyy}.";
                }
            }
        }

        Register ??= Errors.Count > 0 || NotInForceMessage is not null ? null : current;
        if (Register is null && NotInForceMessage is null && Errors.Count == 0)
        {
            NotInForceMessage = "This organisation's notice has not taken effect yet.";
        }

        if (Register is not null)
        {
            IsCurrent = current is not null && Register.Version.Id == current.Version.Id;
            if (service is null)
            {
                Notice = NoticeBuilder.Overarching(Register.Document);
            }
            else
            {
                var entry = Register.Document.Service(service);
                if (entry is null)
                {
                    return NotFound();
                }

                Notice = NoticeBuilder.ForService(Register.Document, entry);
            }
        }

        return Page();
    }
}
