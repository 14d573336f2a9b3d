namespace Haven.Web.Pages;

/// <summary>A GOV.UK date input (day, month, year) whose inputs post as NameDay, NameMonth and NameYear.</summary>
public sealed record DateFieldModel(string Name, string Label, string? Day, string? Month, string? Year, string? Error, string? Hint = null)
{
    public string DescribedBy => Error is null ? Name + "-hint" : $"{Name}-hint {Name}-error";
}

/// <summary>A GOV.UK select with its label and error.</summary>
public sealed record SelectFieldModel(string Name, string Label, string? Value, string? Error, IEnumerable<(string Code, string Label)> Options, string Placeholder = "Choose");
