using System.Globalization;
using Sparta.Tensors;

namespace Sparta.Configuration;

/// <summary>
/// Typed, checked access to a config's parameters for a factory. Every read records the key, so
/// <see cref="EnsureAllRead"/> can reject keys the component does not know (typos) by name.
/// Numbers and booleans may also arrive as their text (as an untyped YAML reader gives them).
/// </summary>
public sealed class ConfigReader
{
    private readonly ComponentConfig _config;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public ConfigReader(string owner, ComponentConfig config)
    {
        Owner = owner;
        _config = config;
    }

    /// <summary>Names the component in messages, e.g. "optimizer 'adam'".</summary>
    public string Owner { get; }

    public bool Has(string key)
    {
        _known.Add(key);
        return _config.Parameters.ContainsKey(key);
    }

    public object? Raw(string key)
    {
        _known.Add(key);
        return _config.Parameters.TryGetValue(key, out var value) ? value : null;
    }

    public double Double(string key, double fallback)
    {
        object? raw = Raw(key);
        if (raw is null) return fallback;
        return AsNumber(raw) ?? throw Invalid(key, raw, "a number");
    }

    /// <summary>The value as a number when it is one or is its invariant-culture text.</summary>
    public static double? AsNumber(object value) => value switch
    {
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
        _ => null,
    };

    public double? OptionalDouble(string key) => Has(key) ? Double(key, 0) : null;

    public int Int(string key, int fallback)
    {
        object? raw = Raw(key);
        if (raw is null) return fallback;
        return AsInt(raw) ?? throw Invalid(key, raw, "an integer");
    }

    /// <summary>A height and width (Keras' kernel_size, strides, pool_size): one integer for a square, or [height, width].</summary>
    public Size2D Size2D(string key, Size2D fallback)
    {
        object? raw = Raw(key);
        if (raw is null) return fallback;
        if (AsInt(raw) is int side) return side;
        if (raw is IReadOnlyList<object> { Count: 2 } pair && AsInt(pair[0]) is int height && AsInt(pair[1]) is int width) return new(height, width);
        throw Invalid(key, raw, "an integer or a list of two integers [height, width]");
    }

    /// <summary>A list of integers (<c>target_shape: [1, 28, 28]</c>), or null when the key is absent.</summary>
    public int[]? IntList(string key)
    {
        object? raw = Raw(key);
        if (raw is null) return null;
        if (raw is IReadOnlyList<object> list && list.Select(AsInt).ToArray() is var ints && ints.All(i => i is not null)) return ints.Select(i => i!.Value).ToArray();
        throw Invalid(key, raw, "a list of integers such as [1, 28, 28]");
    }

    private static int? AsInt(object value) =>
        AsNumber(value) is double d && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue ? (int)d : null;

    public bool Bool(string key, bool fallback) => Raw(key) switch
    {
        null => fallback,
        bool b => b,
        "true" => true,
        "false" => false,
        var other => throw Invalid(key, other, "true or false"),
    };

    /// <summary>A string that must be one of <paramref name="allowed"/>.</summary>
    public string Choice(string key, string fallback, params string[] allowed)
    {
        object? raw = Raw(key);
        if (raw is null) return fallback;
        if (raw is string s && allowed.Contains(s, StringComparer.Ordinal)) return s;
        throw Invalid(key, raw, $"one of {string.Join(", ", allowed)}");
    }

    public ComponentConfig? Config(string key) => Raw(key) switch
    {
        null => null,
        ComponentConfig c => c,
        var other => throw Invalid(key, other, "a config object with a name"),
    };

    /// <summary>Throws for the first key no read asked for, with the closest known keys.</summary>
    public void EnsureAllRead()
    {
        foreach (string key in _config.Parameters.Keys)
            if (!_known.Contains(key))
                throw new ConfigKeyException($"{Owner}: unknown key '{key}'; {NameSuggestions.Hint(key, _known)}", key,
                    $"unknown key; {NameSuggestions.Hint(key, _known)}", _known.ToArray());
    }

    private ConfigKeyException Invalid(string key, object value, string expected)
    {
        string problem = $"must be {expected}, got {Show(value)}";
        return new($"{Owner}: {key} {problem}", key, problem);
    }

    private static string Show(object value) => value switch
    {
        string s => $"'{s}'",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IReadOnlyList<object> list => $"[{string.Join(", ", list.Select(Show))}]",
        _ => value.ToString() ?? "null",
    };
}
