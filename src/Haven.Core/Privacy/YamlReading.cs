using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Haven.Core.Privacy;

/// <summary>A problem in a register or taxonomy file, with the file and the 1-based line it is on.</summary>
public sealed record RegisterError(string File, int Line, string Message)
{
    public override string ToString() => $"{File}, line {Line}: {Message}";
}

/// <summary>Collects errors while a YAML file is read, so that one pass reports every problem with its line.</summary>
internal sealed class YamlErrors(string file)
{
    public string File { get; } = file;

    public List<RegisterError> Errors { get; } = [];

    public void Add(YamlNode? node, string message) => Errors.Add(new RegisterError(File, LineOf(node), message));

    public void Add(int line, string message) => Errors.Add(new RegisterError(File, line, message));

    public static int LineOf(YamlNode? node) => node is null ? 1 : (int)Math.Max(1, node.Start.Line);

    /// <summary>Parses the text into one YAML document, or reports the syntax error with its line.</summary>
    public YamlNode? Load(string text)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count != 1)
            {
                Add(1, stream.Documents.Count == 0 ? "The file is empty" : "The file must hold one document, not several");
                return null;
            }

            return stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            var cut = message.IndexOf("): ", StringComparison.Ordinal);
            Add((int)Math.Max(1, e.Start.Line), $"This is not valid YAML: {(cut >= 0 ? message[(cut + 3)..] : message)}");
            return null;
        }
    }
}

/// <summary>Reads one YAML mapping with typed accessors; unknown keys are reported, so a mistyped key is never silently ignored.</summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly YamlErrors _errors;
    private readonly HashSet<string> _read = [];

    private YamlMap(YamlMappingNode node, YamlErrors errors)
    {
        _node = node;
        _errors = errors;
    }

    public YamlNode Node => _node;

    public int Line => YamlErrors.LineOf(_node);

    public static YamlMap? From(YamlNode? node, YamlErrors errors, string what)
    {
        if (node is YamlMappingNode mapping)
        {
            return new YamlMap(mapping, errors);
        }

        errors.Add(node, $"{what} must be a set of 'key: value' lines");
        return null;
    }

    public YamlNode? Get(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    public bool Has(string key) => _node.Children.ContainsKey(new YamlScalarNode(key));

    public string? Text(string key, bool required = false, string? what = null)
    {
        var value = Get(key);
        if (value is null || (value is YamlScalarNode { Value: null or "" or "~" or "null" } && value is YamlScalarNode { Style: not ScalarStyle.DoubleQuoted and not ScalarStyle.SingleQuoted }))
        {
            if (required)
            {
                _errors.Add(value ?? _node, $"Enter {what ?? key} ('{key}:')");
            }

            return null;
        }

        if (value is not YamlScalarNode scalar)
        {
            _errors.Add(value, $"'{key}' must be a single value, not a list or a set");
            return null;
        }

        var text = scalar.Value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                _errors.Add(value, $"Enter {what ?? key} ('{key}:')");
            }

            return null;
        }

        return text;
    }

    public bool Flag(string key)
    {
        var text = Text(key);
        switch (text)
        {
            case null:
            case "false" or "no":
                return false;
            case "true" or "yes":
                return true;
            default:
                _errors.Add(Get(key), $"'{key}' must be true or false");
                return false;
        }
    }

    public DateOnly? Date(string key, bool required = false, string? what = null)
    {
        var text = Text(key, required, what);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        _errors.Add(Get(key), $"'{key}' must be a date written as YYYY-MM-DD, for example 2024-04-01");
        return null;
    }

    /// <summary>A list of plain values; a single value is accepted as a list of one.</summary>
    public List<(string Value, YamlNode Node)> Texts(string key, bool required = false, string? what = null)
    {
        var value = Get(key);
        var result = new List<(string, YamlNode)>();
        switch (value)
        {
            case null:
                break;
            case YamlScalarNode scalar when !string.IsNullOrWhiteSpace(scalar.Value) && scalar.Value != "~":
                result.Add((scalar.Value.Trim(), scalar));
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence)
                {
                    if (item is YamlScalarNode { Value: { } text } && !string.IsNullOrWhiteSpace(text))
                    {
                        result.Add((text.Trim(), item));
                    }
                    else
                    {
                        _errors.Add(item, $"Each item under '{key}' must be a single value");
                    }
                }

                break;
            case YamlMappingNode:
                _errors.Add(value, $"'{key}' must be a list of values");
                break;
        }

        if (required && result.Count == 0)
        {
            _errors.Add(value ?? _node, $"Enter at least one {what ?? key} ('{key}:')");
        }

        return result;
    }

    /// <summary>A list of sets of keys.</summary>
    public List<YamlMap> Maps(string key, string what, bool required = false)
    {
        var value = Get(key);
        var result = new List<YamlMap>();
        if (value is null || value is YamlScalarNode { Value: null or "" or "~" })
        {
            if (required)
            {
                _errors.Add(value ?? _node, $"Enter at least one {what} ('{key}:')");
            }

            return result;
        }

        if (value is not YamlSequenceNode sequence)
        {
            _errors.Add(value, $"'{key}' must be a list, each item starting with '- '");
            return result;
        }

        foreach (var item in sequence)
        {
            if (From(item, _errors, $"Each {what}") is { } map)
            {
                result.Add(map);
            }
        }

        if (required && result.Count == 0)
        {
            _errors.Add(value, $"Enter at least one {what} ('{key}:')");
        }

        return result;
    }

    public YamlMap? Map(string key, string what, bool required = false)
    {
        var value = Get(key);
        if (value is null)
        {
            if (required)
            {
                _errors.Add(_node, $"Enter {what} ('{key}:')");
            }

            return null;
        }

        return From(value, _errors, what);
    }

    /// <summary>Reports every key that was never read: a misspelt key must not be ignored without a word.</summary>
    public void RejectUnknownKeys(string what)
    {
        foreach (var (key, _) in _node.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!_read.Contains(name))
            {
                _errors.Add(key, $"'{name}' is not something {what} can have. Check the spelling");
            }
        }
    }
}
