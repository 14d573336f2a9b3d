using System.Text;
using System.Text.RegularExpressions;

namespace Haven.Core.Rights;

/// <summary>A piece of an entry's text: plain, or a redacted term with the ground it was redacted on.</summary>
public sealed record TextSegment(string Text, string? Ground);

/// <summary>A name or identifier of someone else found in the subject's data, offered to the reviewer to redact.</summary>
public sealed record RedactionSuggestion(string Term, string PersonName, string Connection, int Count, bool Redacted);

/// <summary>An entry as it will be disclosed: redacted terms replaced by a marker; withheld entries are left out.</summary>
public sealed record DisclosedEntry(string Key, DateOnly? Date, string Title, string Text, string? Source);

public sealed record DisclosedSection(string Code, string Title, string Description, IReadOnlyList<DisclosedEntry> Entries);

/// <summary>How many times each ground was used: the requester is told what kind of information was removed, never what it said.</summary>
public sealed record GroundCount(string Ground, string Label, int Count);

public sealed record DisclosedData(IReadOnlyList<DisclosedSection> Sections, IReadOnlyList<GroundCount> Redacted, IReadOnlyList<GroundCount> Withheld)
{
    public int EntryCount => Sections.Sum(s => s.Entries.Count);

    public int RedactionCount => Redacted.Sum(r => r.Count);

    public int WithheldCount => Withheld.Sum(w => w.Count);
}

/// <summary>
/// Applies a request's redactions: every term is replaced wherever it appears (whole words, any case, any spacing)
/// by a marker naming the ground, before anything is laid out, so the hidden text never reaches a file; withheld
/// items are left out. One regular expression covers all terms, so 10,000 entries are scanned once each.
/// </summary>
public sealed class Redactor
{
    private readonly Regex? _pattern;
    private readonly Dictionary<string, string> _groundByTerm = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _withheld;

    public Redactor(IEnumerable<(string Term, string Ground)> terms, IEnumerable<(string ItemKey, string Ground)> items)
    {
        foreach (var (term, ground) in terms)
        {
            _groundByTerm.TryAdd(Normalise(term), ground);
        }

        _pattern = Pattern(_groundByTerm.Keys);
        _withheld = items.GroupBy(i => i.ItemKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Ground, StringComparer.Ordinal);
    }

    public static Redactor For(IEnumerable<RightsRequestRedaction> redactions)
    {
        var list = redactions.ToList();
        return new Redactor(list.Where(r => r.Kind == "term" && r.Term is not null).Select(r => (r.Term!, r.Ground)),
            list.Where(r => r.Kind == "item" && r.ItemKey is not null).Select(r => (r.ItemKey!, r.Ground)));
    }

    /// <summary>The short words shown in place of redacted text, for example "[redacted: third party]".</summary>
    public static string Marker(string ground) => $"[redacted: {ShortLabel(ground)}]";

    public static string ShortLabel(string ground) => ground switch
    {
        "third_party" => "third party",
        "serious_harm" => "serious harm",
        "child_abuse_data" => "child abuse data",
        "crime" => "crime",
        "legal_privilege" => "legal privilege",
        "court_proceedings" => "court proceedings",
        "adoption" => "adoption",
        "expectation_of_child" => "given in confidence",
        _ => "exempt",
    };

    public string? WithheldGround(string itemKey) => _withheld.GetValueOrDefault(itemKey);

    /// <summary>The text with every redacted term replaced by its marker.</summary>
    public string Apply(string text) => Apply(text, null);

    public IReadOnlyList<TextSegment> Segments(string text)
    {
        if (_pattern is null)
        {
            return [new TextSegment(text, null)];
        }

        var segments = new List<TextSegment>();
        var at = 0;
        foreach (Match match in _pattern.Matches(text))
        {
            if (match.Index > at)
            {
                segments.Add(new TextSegment(text[at..match.Index], null));
            }

            segments.Add(new TextSegment(match.Value, _groundByTerm.GetValueOrDefault(Normalise(match.Value), "third_party")));
            at = match.Index + match.Length;
        }

        if (at < text.Length)
        {
            segments.Add(new TextSegment(text[at..], null));
        }

        return segments;
    }

    /// <summary>The data as it will be disclosed, with counts of what was redacted and withheld by ground.</summary>
    public DisclosedData Apply(SubjectData data)
    {
        var redacted = new Dictionary<string, int>(StringComparer.Ordinal);
        var withheld = new Dictionary<string, int>(StringComparer.Ordinal);
        var sections = new List<DisclosedSection>();
        foreach (var section in data.Sections)
        {
            var entries = new List<DisclosedEntry>(section.Entries.Count);
            foreach (var entry in section.Entries)
            {
                if (WithheldGround(entry.Key) is { } ground)
                {
                    withheld[ground] = withheld.GetValueOrDefault(ground) + 1;
                    continue;
                }

                entries.Add(new DisclosedEntry(entry.Key, entry.Date, Apply(entry.Title, redacted), Apply(entry.Text, redacted),
                    entry.Source is null ? null : Apply(entry.Source, redacted)));
            }

            sections.Add(new DisclosedSection(section.Code, section.Title, section.Description, entries));
        }

        return new DisclosedData(sections, Counts(redacted), Counts(withheld));
    }

    /// <summary>
    /// Names and identifiers of connected people that occur in the found text, with how often. The subject's own
    /// names and professionals acting in their role are not suggested.
    /// </summary>
    public static IReadOnlyList<RedactionSuggestion> Suggest(SubjectData data, IEnumerable<string> alreadyRedacted)
    {
        var own = new HashSet<string>(data.SubjectTerms.Select(Normalise), StringComparer.Ordinal);
        var professionals = new HashSet<string>(data.Professionals.Select(Normalise), StringComparer.Ordinal);
        var redacted = new HashSet<string>(alreadyRedacted.Select(Normalise), StringComparer.Ordinal);
        var owners = new Dictionary<string, (string Term, ThirdParty Person)>(StringComparer.Ordinal);
        foreach (var person in data.ThirdParties)
        {
            foreach (var term in person.Terms)
            {
                var key = Normalise(term);
                if (key.Length >= 2 && !own.Contains(key) && !professionals.Contains(key))
                {
                    owners.TryAdd(key, (term, person));
                }
            }
        }

        var pattern = Pattern(owners.Keys);
        if (pattern is null)
        {
            return [];
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in data.Entries)
        {
            Count(pattern, entry.Title, counts);
            Count(pattern, entry.Text, counts);
        }

        return counts.Select(c => new RedactionSuggestion(owners[c.Key].Term, owners[c.Key].Person.Name, owners[c.Key].Person.Connection, c.Value, redacted.Contains(c.Key)))
            .OrderBy(s => s.PersonName, StringComparer.Ordinal).ThenByDescending(s => s.Term.Length).ToList();
    }

    public static string Normalise(string term) => string.Join(' ', term.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private string Apply(string text, Dictionary<string, int>? counts)
    {
        if (_pattern is null || text.Length == 0)
        {
            return text;
        }

        return _pattern.Replace(text, match =>
        {
            var ground = _groundByTerm.GetValueOrDefault(Normalise(match.Value), "third_party");
            if (counts is not null)
            {
                counts[ground] = counts.GetValueOrDefault(ground) + 1;
            }

            return Marker(ground);
        });
    }

    private static void Count(Regex pattern, string text, Dictionary<string, int> counts)
    {
        foreach (Match match in pattern.Matches(text))
        {
            var key = Normalise(match.Value);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
    }

    private static List<GroundCount> Counts(Dictionary<string, int> counts) =>
        counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new GroundCount(c.Key, RightsCodes.Exemptions.LabelFor(c.Key) ?? c.Key, c.Value)).ToList();

    /// <summary>One pattern for all terms: longest first, whole words only, any case, any run of spaces between words.</summary>
    private static Regex? Pattern(IEnumerable<string> normalisedTerms)
    {
        var terms = normalisedTerms.Where(t => t.Length > 0).OrderByDescending(t => t.Length).ThenBy(t => t, StringComparer.Ordinal).ToList();
        if (terms.Count == 0)
        {
            return null;
        }

        var builder = new StringBuilder(@"(?<![\p{L}\p{N}])(?:");
        for (var i = 0; i < terms.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('|');
            }

            builder.Append(string.Join(@"\s+", terms[i].Split(' ').Select(Regex.Escape)));
        }

        builder.Append(@")(?![\p{L}\p{N}])");
        return new Regex(builder.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(10));
    }
}
