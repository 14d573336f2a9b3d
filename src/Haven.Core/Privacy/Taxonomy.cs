using YamlDotNet.RepresentationModel;

namespace Haven.Core.Privacy;

public sealed record DataCategory(string Code, string Label, bool Special, bool Criminal, int Line)
{
    public string? Parent => Code.LastIndexOf('.') is var dot and > 0 ? Code[..dot] : null;
}

/// <summary>
/// The hierarchical data categories every collection point and every register entry names. Special-category and
/// criminal-offence flags are inherited by everything underneath a flagged category.
/// </summary>
public sealed class Taxonomy
{
    public const string ResourceName = "Haven.Core.Privacy.taxonomy.yaml";

    private readonly Dictionary<string, DataCategory> _categories;

    private Taxonomy(Dictionary<string, DataCategory> categories) => _categories = categories;

    public IReadOnlyCollection<DataCategory> All => _categories.Values;

    public DataCategory? Find(string code) => _categories.GetValueOrDefault(code);

    public bool Contains(string code) => _categories.ContainsKey(code);

    public string Label(string code) => Find(code)?.Label ?? code;

    /// <summary>True when <paramref name="declared"/> is the category itself or one of its ancestors.</summary>
    public static bool Covers(string declared, string category) =>
        category == declared || category.StartsWith(declared + ".", StringComparison.Ordinal);

    /// <summary>The built-in taxonomy shipped with Haven.</summary>
    public static Taxonomy BuiltIn { get; } = LoadBuiltIn();

    private static Taxonomy LoadBuiltIn()
    {
        using var stream = typeof(Taxonomy).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The category taxonomy {ResourceName} is missing from Haven.Core");
        using var reader = new StreamReader(stream);
        var (taxonomy, errors) = Parse("taxonomy.yaml", reader.ReadToEnd());
        return errors.Count == 0 ? taxonomy! : throw new InvalidOperationException("The built-in category taxonomy is invalid: " + string.Join("; ", errors));
    }

    public static (Taxonomy? Taxonomy, IReadOnlyList<RegisterError> Errors) Parse(string file, string text)
    {
        var errors = new YamlErrors(file);
        var root = errors.Load(text);
        var categories = new Dictionary<string, DataCategory>(StringComparer.Ordinal);
        if (root is not null && root is not YamlSequenceNode)
        {
            errors.Add(root, "The taxonomy must be a list of categories, each starting with '- code:'");
        }

        foreach (var item in (root as YamlSequenceNode)?.Children ?? [])
        {
            var map = YamlMap.From(item, errors, "Each category");
            if (map is null)
            {
                continue;
            }

            var code = map.Text("code", required: true, what: "the category code");
            var label = map.Text("label", required: true, what: "the category's plain-words label");
            var special = map.Flag("special");
            var criminal = map.Flag("criminal");
            map.RejectUnknownKeys("a category");
            if (code is null || label is null)
            {
                continue;
            }

            if (!IsCode(code))
            {
                errors.Add(map.Get("code"), $"'{code}' is not a valid category code: use lower-case words joined by '-' and '.'");
                continue;
            }

            if (categories.ContainsKey(code))
            {
                errors.Add(map.Get("code"), $"The category '{code}' is listed twice");
                continue;
            }

            var category = new DataCategory(code, label, special, criminal, map.Line);
            if (category.Parent is { } parent)
            {
                if (!categories.TryGetValue(parent, out var parentCategory))
                {
                    errors.Add(map.Get("code"), $"The category '{code}' needs its parent '{parent}' listed above it");
                    continue;
                }

                category = category with { Special = special || parentCategory.Special, Criminal = criminal || parentCategory.Criminal };
            }

            categories[code] = category;
        }

        return errors.Errors.Count == 0 ? (new Taxonomy(categories), []) : (null, errors.Errors);
    }

    public static bool IsCode(string code) =>
        code.Length is > 0 and <= 100 && code.Split('.').All(part => part.Length > 0 && part.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'));
}
