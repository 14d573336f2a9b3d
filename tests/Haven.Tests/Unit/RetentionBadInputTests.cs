using Haven.Core.Privacy;

namespace Haven.Tests.Unit;

/// <summary>Bad retention rules in a register file are refused with the file, the line and what is wrong.</summary>
public sealed class RetentionBadInputTests
{
    private static string AfcFile()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Haven.sln")))
        {
            folder = folder.Parent;
        }

        return File.ReadAllText(Path.Combine(folder!.FullName, "config", "register", "004-achieving-for-children.yaml"));
    }

    private static int LineOf(string text, string marker) => text.Split('\n').ToList().FindIndex(l => l.Contains(marker, StringComparison.Ordinal)) + 1;

    [Fact]
    public void A_negative_period_is_refused_with_its_line()
    {
        var text = AfcFile().Replace("period: 100 years", "period: -100 years", StringComparison.Ordinal);
        var (document, errors) = RegisterParser.Parse("afc.yaml", text, Taxonomy.BuiltIn);
        Assert.Null(document);
        var error = Assert.Single(errors);
        Assert.Equal(LineOf(text, "period: -100 years"), error.Line);
        Assert.Contains("is negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_without_an_anchor_is_refused_with_its_line()
    {
        var text = AfcFile().Replace("            anchor: adoption-order\n", "", StringComparison.Ordinal);
        var (document, errors) = RegisterParser.Parse("afc.yaml", text, Taxonomy.BuiltIn);
        Assert.Null(document);
        Assert.Contains(errors, e => e.File == "afc.yaml" && e.Message.Contains("needs the event its clock starts from", StringComparison.Ordinal));
    }
}
