using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Haven.Tests.Browser;

/// <summary>
/// Runs axe-core on the page as the browser shows it now. Problems axe rates "serious" or "critical" fail the test;
/// "moderate" and "minor" ones are written to the test output so they can be looked at without blocking.
/// </summary>
public static class AccessibilityCheck
{
    private static readonly HashSet<string> FailingImpacts = new(StringComparer.OrdinalIgnoreCase) { "serious", "critical" };

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string? state = null)
    {
        var result = await page.RunAxe();
        var where = state is null ? page.Url : $"{page.Url} ({state})";
        var failing = result.Violations.Where(v => FailingImpacts.Contains(v.Impact ?? string.Empty)).ToList();
        var advisory = result.Violations.Except(failing).ToList();

        if (advisory.Count > 0)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(Describe($"axe: lesser accessibility problems on {where}", advisory));
        }

        if (failing.Count > 0)
        {
            Assert.Fail(Describe($"axe found {failing.Count} serious or critical accessibility problem(s) on {where}", failing));
        }
    }

    private static string Describe(string heading, IEnumerable<AxeResultItem> violations)
    {
        var text = new StringBuilder(heading).Append(':');
        foreach (var violation in violations)
        {
            text.AppendLine().Append($"- {violation.Id} [{violation.Impact}]: {violation.Help} ({violation.HelpUrl})");
            foreach (var node in violation.Nodes ?? [])
            {
                text.AppendLine().Append($"    at {node.Target}: {Shorten(node.Html)}");
            }
        }

        return text.ToString();
    }

    private static string Shorten(string? html)
    {
        var oneLine = string.Join(' ', (html ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= 200 ? oneLine : oneLine[..200] + "…";
    }
}
