namespace Haven.Web.Pages;

/// <summary>One GOV.UK text input or textarea with its label, hint and error message.</summary>
public sealed record FieldModel(string Name, string Label, string? Value, string? Error, string Type = "text",
    string? Hint = null, string? Autocomplete = null, string? Width = null, string? InputMode = null, string? LabelClass = null)
{
    public string Id => Name;

    public string? DescribedBy
    {
        get
        {
            var parts = new List<string>();
            if (Hint is not null)
            {
                parts.Add(Id + "-hint");
            }

            if (Error is not null)
            {
                parts.Add(Id + "-error");
            }

            return parts.Count == 0 ? null : string.Join(' ', parts);
        }
    }
}
