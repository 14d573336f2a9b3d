using System.Collections;
using System.Reflection;

namespace Haven.Core.Privacy;

/// <summary>
/// Marks a type whose properties are collection points: every field a form or API call fills. Each property
/// collects <see cref="Category"/> unless it says otherwise with <see cref="CollectsAttribute"/> or
/// <see cref="NotPersonalDataAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CollectionPointAttribute(string category) : Attribute
{
    public string Category { get; } = category;
}

/// <summary>
/// Marks an API request or form model that carries the same fields as a Core input: each property collects what the
/// same-named property of <see cref="Input"/> collects, unless it says otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CollectsAsAttribute(Type input) : Attribute
{
    public Type Input { get; } = input;
}

/// <summary>The data category one field collects.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class CollectsAttribute(string category) : Attribute
{
    public string Category { get; } = category;
}

/// <summary>A field that holds no personal data of its own (a choice of form, a version number, the source code of a fact).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class NotPersonalDataAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}

/// <summary>For inputs whose category depends on a value (a disability involvement is health data; a photo is an image).</summary>
public interface IValueCategories
{
    IEnumerable<(string Field, string Category)> ValueCategories();
}

/// <summary>One field of one collection point, with the category it collects.</summary>
public sealed record CollectionPoint(Type Type, string Field, string? Category, string? NotPersonalReason)
{
    public string Name => $"{Type.Name}.{Field}";
}

/// <summary>Finds every collection point in Haven's assemblies and checks each against the taxonomy.</summary>
public static class CollectionPoints
{
    public static IReadOnlyList<CollectionPoint> Discover(params Assembly[] assemblies)
    {
        var points = new List<CollectionPoint>();
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()).Where(t => t.GetCustomAttribute<CollectionPointAttribute>() is not null || t.GetCustomAttribute<CollectsAsAttribute>() is not null).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            points.AddRange(Of(type));
        }

        return points;
    }

    public static IEnumerable<CollectionPoint> Of(Type type)
    {
        var defaultCategory = type.GetCustomAttribute<CollectionPointAttribute>()?.Category;
        var sameAs = type.GetCustomAttribute<CollectsAsAttribute>()?.Input is { } input ? Of(input).ToDictionary(p => p.Field) : null;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract"))
        {
            var collects = property.GetCustomAttribute<CollectsAttribute>();
            var notPersonal = property.GetCustomAttribute<NotPersonalDataAttribute>();
            if (collects is null && notPersonal is null && sameAs is not null)
            {
                var same = sameAs.GetValueOrDefault(property.Name);
                yield return new CollectionPoint(type, property.Name, same?.Category, same?.NotPersonalReason);
                continue;
            }

            yield return new CollectionPoint(type, property.Name, notPersonal is not null ? null : collects?.Category ?? defaultCategory, notPersonal?.Reason);
        }
    }

    /// <summary>
    /// Problems that must stop Haven from starting: a collection point naming a category the taxonomy does not have,
    /// or a field that declares nothing at all.
    /// </summary>
    public static IReadOnlyList<string> Problems(Taxonomy taxonomy, IEnumerable<CollectionPoint> points)
    {
        var problems = new List<string>();
        foreach (var point in points)
        {
            if (point.Category is null && point.NotPersonalReason is null)
            {
                problems.Add($"{point.Name} declares no data category");
            }
            else if (point.Category is not null && !taxonomy.Contains(point.Category))
            {
                problems.Add($"{point.Name} collects '{point.Category}', which is not in the category taxonomy");
            }
        }

        return problems;
    }

    /// <summary>The categories a filled-in input actually carries: only fields with a value count.</summary>
    public static IReadOnlyList<(string Field, string Category)> Filled(object input)
    {
        var result = new List<(string, string)>();
        foreach (var point in Of(input.GetType()))
        {
            if (point.Category is null)
            {
                continue;
            }

            var value = input.GetType().GetProperty(point.Field)!.GetValue(input);
            if (HasValue(value))
            {
                result.Add((point.Field, point.Category));
            }
        }

        if (input is IValueCategories extra)
        {
            result.AddRange(extra.ValueCategories());
        }

        return result;
    }

    private static bool HasValue(object? value) => value switch
    {
        null => false,
        string text => !string.IsNullOrWhiteSpace(text),
        bool flag => flag,
        byte[] bytes => bytes.Length > 0,
        ICollection collection => collection.Count > 0,
        _ => true,
    };
}
