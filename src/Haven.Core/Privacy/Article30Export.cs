using System.Text;
using Haven.Core.Documents;

namespace Haven.Core.Privacy;

/// <summary>
/// The record of processing activities (UK GDPR Article 30(1)) for one organisation: one row per processing activity,
/// as CSV for spreadsheets and as a PDF for people.
/// </summary>
public static class Article30Export
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "Organisation", "Controller", "ICO registration", "Data Protection Officer", "Service", "Activity", "Purpose", "Article 6 lawful basis",
        "Article 9 condition", "Schedule 1 condition (special category)", "Article 10 basis", "Schedule 1 condition (criminal offence)", "Legislation",
        "Categories of personal data", "Special category or criminal offence data", "Categories of data subjects", "Sources", "Recipients",
        "Processors", "Overseas transfers and safeguards", "Retention", "Rights", "Providing data", "Automated decisions", "Security measures",
        "Register version", "In force from",
    ];

    public static IEnumerable<IReadOnlyList<string>> Rows(LoadedRegister loaded)
    {
        var register = loaded.Document;
        var org = register.Organisation;
        foreach (var (service, a) in register.Activities())
        {
            var sensitive = a.Categories.Select(c => Taxonomy.BuiltIn.Find(c.Category)).OfType<DataCategory>()
                .Where(c => c.Special || c.Criminal).Select(c => $"{c.Label} ({(c.Special ? "special category" : "criminal offence")})");
            yield return
            [
                org.Name, org.Controller, org.IcoRegistration ?? "", string.Join(", ", org.DataProtectionOfficer.Values()), service.Name, a.Code, a.Purpose,
                Join(a.LawfulBases.Select(b => RegisterCodes.Label(RegisterCodes.LawfulBases, b.Code))),
                Join(a.SpecialCategory?.Article.Select(c => RegisterCodes.Label(RegisterCodes.Article9, c)) ?? []),
                Join(a.SpecialCategory?.Schedule1.Select(c => RegisterCodes.Label(RegisterCodes.Schedule1, c)) ?? []),
                Join(a.CriminalOffence?.Article.Select(c => RegisterCodes.Label(RegisterCodes.Article10, c)) ?? []),
                Join(a.CriminalOffence?.Schedule1.Select(c => RegisterCodes.Label(RegisterCodes.Schedule1, c)) ?? []),
                Join(a.Legislation),
                Join(a.Categories.Select(c => $"{Taxonomy.BuiltIn.Label(c.Category)} [{c.Category}]").Distinct()),
                Join(sensitive.Distinct()),
                Join(a.DataSubjects), Join(a.Sources),
                Join(a.Recipients.Select(r => $"{r.Name} ({RegisterCodes.Label(RegisterCodes.LawfulBases, r.Basis)}{(r.Country is null ? "" : ", " + r.Country)})")),
                Join(a.Processors.Select(p => p.Service is null ? p.Name : $"{p.Name} ({p.Service})")),
                a.Transfers.Allowed ? $"Allowed; safeguard: {RegisterCodes.Label(RegisterCodes.TransferSafeguards, a.Transfers.Safeguard ?? "")}{(a.Transfers.Countries.Count > 0 ? "; " + Join(a.Transfers.Countries) : "")}" : "None",
                Join(a.Retention.Select(r => $"{r.RecordType}: {NoticeBuilder.Describe(r)}")),
                Join(a.Rights.Select(r => RegisterCodes.Label(RegisterCodes.Rights, r.Code) + (r.Limits is null ? "" : $" (limits: {r.Limits})"))),
                a.Requirement is null ? "" : (a.Requirement.Required ? "Required. " : "Not required. ") + a.Requirement.Wording,
                a.AutomatedDecisions ?? "",
                Join(org.SecurityMeasures.Concat(a.SecurityMeasures)),
                loaded.Version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                loaded.Version.EffectiveFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ];
        }
    }

    public static string Csv(LoadedRegister loaded)
    {
        var builder = new StringBuilder();
        builder.AppendLine(string.Join(",", Columns.Select(Cell)));
        foreach (var row in Rows(loaded))
        {
            builder.AppendLine(string.Join(",", row.Select(Cell)));
        }

        return builder.ToString();
    }

    /// <summary>A CSV cell, quoted, with a leading apostrophe where a spreadsheet would otherwise run it as a formula.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static string Join(IEnumerable<string> values) => string.Join("; ", values);

    public static byte[] Pdf(LoadedRegister loaded, DateTimeOffset generatedAt)
    {
        var pdf = new SimplePdf { Title = $"Record of processing activities: {loaded.Document.Organisation.Name}" };
        pdf.Heading("Record of processing activities (UK GDPR Article 30)", 16);
        pdf.Paragraph(loaded.Document.Organisation.Name, 11, bold: true);
        pdf.Paragraph($"Register version {loaded.Version.Version}, in force from {loaded.Version.EffectiveFrom:d MMMM yyyy}. Generated {generatedAt:d MMMM yyyy HH:mm} UTC.");
        pdf.Space();
        foreach (var row in Rows(loaded))
        {
            pdf.Heading($"{row[4]}: {row[6]}", 12);
            for (var i = 0; i < Columns.Count; i++)
            {
                if (i is 0 or 4 or 6 or 25 or 26 || string.IsNullOrEmpty(row[i]))
                {
                    continue;
                }

                pdf.Paragraph(Columns[i], 9, bold: true);
                pdf.Paragraph(row[i], 9, indent: 10);
            }

            pdf.Space(12);
        }

        return pdf.ToBytes();
    }
}
