using System.Text;
using Haven.Core.Privacy;

namespace Haven.Core.Sharing;

/// <summary>The disclosure log as CSV, one row per disclosure.</summary>
public static class DisclosureLogCsv
{
    public static string Write(IEnumerable<DisclosureView> rows)
    {
        var text = new StringBuilder();
        string[] header = ["Date shared", "Made or recorded", "Haven record number", "Person", "Recipient code", "Recipient", "Address", "Country",
            "Purpose", "Service", "Activity", "Lawful basis", "Categories", "Summary", "Method", "Agreement", "Recorded by", "Recorded at"];
        text.AppendLine(string.Join(",", header));
        foreach (var d in rows)
        {
            string[] cells = [d.DisclosedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), d.MadeThroughHaven ? "made through Haven" : "recorded afterwards",
                d.PersonId.ToString(), d.PersonName, d.RecipientCode, d.RecipientName, d.RecipientAddress ?? "", d.Country ?? "", d.Purpose, d.ServiceCode,
                d.ActivityCode, d.LawfulBasis, d.CategoryLabels, d.Summary, SharingCodes.Label(SharingCodes.Methods, d.Method), d.AgreementTitle ?? "",
                d.RecordedBy ?? "", d.CreatedAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)];
            text.AppendLine(string.Join(",", cells.Select(Article30Export.Cell)));
        }

        return text.ToString();
    }
}
