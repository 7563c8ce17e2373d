using System.Globalization;
using Sparta.Configuration;

namespace Sparta.Data.Preprocessing;

/// <summary>Reads a step's text parameters, naming the step, key and value on a bad one and rejecting unknown keys.</summary>
internal sealed class StepParameters
{
    private readonly string _step;
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public StepParameters(string step, IReadOnlyDictionary<string, string>? values)
    {
        _step = step;
        _values = values ?? new Dictionary<string, string>();
    }

    public string? Text(string key)
    {
        _read.Add(key);
        return _values.TryGetValue(key, out var v) ? v : null;
    }

    public double Number(string key, double fallback)
    {
        string? text = Text(key);
        if (text is null) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
            : throw new ArgumentException($"preprocessing '{_step}': parameter '{key}' must be a number, got '{text}'");
    }

    public bool Flag(string key, bool fallback)
    {
        string? text = Text(key);
        if (text is null) return fallback;
        return bool.TryParse(text, out bool v) ? v
            : throw new ArgumentException($"preprocessing '{_step}': parameter '{key}' must be true or false, got '{text}'");
    }

    public StatisticsScope Scope(StatisticsScope fallback)
    {
        string? text = Text("scope");
        try
        {
            return text is null ? fallback : StatisticsScopeNames.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"preprocessing '{_step}': {e.Message}");
        }
    }

    public void RejectUnknown()
    {
        foreach (string key in _values.Keys)
            if (!_read.Contains(key))
                throw new ArgumentException($"preprocessing '{_step}': unknown parameter '{key}'; {NameSuggestions.Hint(key, _read)}");
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
