using System.Text;
using Haven.Core.Documents;
using Haven.Core.Rights;

namespace Haven.Tests.Unit;

/// <summary>Redaction of terms and items, suggestions of third parties, and the PDF writer's page numbers.</summary>
public sealed class RedactorTests
{
    private static SubjectData Data(params SubjectEntry[] entries) => new([Guid.Empty], ["Amara Clarke"],
        [new SubjectSection("case_work", "Case work", "", entries)],
        [new ThirdParty(Guid.NewGuid(), "Kyle Reed", "Father", ["Kyle Reed", "Kyle", "Reed", "07700 900123", "Clarke"])],
        ["Octavia Pemberton", "Kyle"], ["Amara", "Clarke", "Amara Clarke"]);

    private static SubjectEntry Entry(string key, string text) => new(key, "case_work", null, "Case note", text, null, Guid.Empty);

    [Fact]
    public void Terms_are_replaced_as_whole_words_in_any_case_and_spacing()
    {
        var redactor = new Redactor([("Kyle Reed", "third_party"), ("07700 900123", "third_party")], []);
        Assert.Equal("[redacted: third party] called from [redacted: third party]; Kyleigh stayed.",
            redactor.Apply("KYLE   reed called from 07700 900123; Kyleigh stayed."));
    }

    [Fact]
    public void Withheld_items_are_left_out_and_counted_by_ground_without_their_text()
    {
        var redactor = new Redactor([("Kyle Reed", "third_party")], [("case_note:2", "serious_harm")]);
        var disclosed = redactor.Apply(Data(Entry("case_note:1", "Kyle Reed visited. Kyle Reed left."), Entry("case_note:2", "Secret")));
        Assert.Equal(1, disclosed.EntryCount);
        Assert.Equal(2, disclosed.RedactionCount);
        Assert.Equal(1, disclosed.WithheldCount);
        Assert.Equal("serious_harm", Assert.Single(disclosed.Withheld).Ground);
        Assert.DoesNotContain("Secret", string.Join(" ", disclosed.Sections.SelectMany(s => s.Entries).Select(e => e.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public void Suggestions_are_other_peoples_names_found_in_the_text_but_not_the_subjects_or_professionals()
    {
        var suggestions = Redactor.Suggest(Data(Entry("case_note:1", "Kyle Reed rang Amara Clarke from 07700 900123. Reed was calm. Octavia Pemberton, GP, called.")), ["reed"]);
        Assert.Equal(["07700 900123", "Kyle Reed", "Reed"], suggestions.Select(s => s.Term).Order(StringComparer.Ordinal));
        Assert.True(suggestions.Single(s => s.Term == "Reed").Redacted);
        Assert.All(suggestions, s => Assert.Equal(1, s.Count));
    }

    [Fact]
    public void Pages_are_numbered_x_of_y_and_page_breaks_return_the_page_number()
    {
        var pdf = new SimplePdf { Footer = "IR-TEST" };
        Assert.Equal(1, pdf.PageBreak());
        pdf.Paragraph("First");
        Assert.Equal(2, pdf.PageBreak());
        pdf.Row("Section", "2");
        var text = Encoding.Latin1.GetString(pdf.ToBytes());
        Assert.Contains("(Page 1 of 2) Tj", text, StringComparison.Ordinal);
        Assert.Contains("(Page 2 of 2) Tj", text, StringComparison.Ordinal);
        Assert.Contains("(IR-TEST) Tj", text, StringComparison.Ordinal);
    }
}
