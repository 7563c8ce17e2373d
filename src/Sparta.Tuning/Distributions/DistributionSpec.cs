using System.Globalization;

namespace Sparta.Tuning.Distributions;

/// <summary>
/// Reads a distribution from the mapping an experiment file gives a hyperparameter:
/// <c>{uniform: [0, 1]}</c>, <c>{uniform: [0, 1], step: 0.1}</c>, <c>{loguniform: [1e-3, 10]}</c>,
/// <c>{int: [16, 512], step: 16}</c>, <c>{int: [1, 1024], log: true}</c>, <c>{choice: [relu, tanh]}</c>.
/// Values may be numbers or the strings a YAML parser leaves. Errors name the key and the value.
/// </summary>
public static class DistributionSpec
{
    public static Distribution Parse(string key, IReadOnlyDictionary<string, object?> mapping)
    {
        var kinds = new[] { "uniform", "loguniform", "int", "choice" }.Where(mapping.ContainsKey).ToList();
        if (kinds.Count != 1)
            throw new ArgumentException($"{key}: expected exactly one of uniform, loguniform, int, choice, got {{{string.Join(", ", mapping.Keys)}}}");
        string kind = kinds[0];
        foreach (string extra in mapping.Keys.Where(k => k != kind && k is not ("step" or "log")))
            throw new ArgumentException($"{key}: unknown setting '{extra}' for a {kind} distribution");
        if (kind == "choice")
        {
            var choices = AsList(key, kind, mapping[kind]);
            if (choices.Count == 0) throw new ArgumentException($"{key}: choice needs at least one value");
            return new CategoricalDistribution(choices.Select(Scalar));
        }
        var bounds = AsList(key, kind, mapping[kind]);
        if (bounds.Count != 2) throw new ArgumentException($"{key}: {kind} needs [low, high], got {bounds.Count} values");
        double low = Number(key, bounds[0]), high = Number(key, bounds[1]);
        bool log = kind == "loguniform" || (mapping.TryGetValue("log", out var l) && Bool(key, l));
        double? step = mapping.TryGetValue("step", out var s) ? Number(key, s) : null;
        if (!(low < high)) throw new ArgumentException($"{key}: low must be below high, got [{Show(bounds[0])}, {Show(bounds[1])}]");
        if (log && low <= 0) throw new ArgumentException($"{key}: a log range must be above zero, got [{Show(bounds[0])}, {Show(bounds[1])}]");
        if (step is double st && !(st > 0)) throw new ArgumentException($"{key}: step must be positive, got {Show(s)}");
        if (kind == "int")
        {
            if (low != Math.Floor(low) || high != Math.Floor(high) || (step is double si && si != Math.Floor(si)))
                throw new ArgumentException($"{key}: int needs whole numbers, got [{Show(bounds[0])}, {Show(bounds[1])}]{(step is null ? "" : $" step {Show(s)}")}");
            if (log && step is not (null or 1)) throw new ArgumentException($"{key}: a log int range takes no step, got step {Show(s)}");
            return new IntDistribution((long)low, (long)high, log, (long)(step ?? 1));
        }
        if (log && step is not null) throw new ArgumentException($"{key}: a log range takes no step, got step {Show(s)}");
        return new FloatDistribution(low, high, log, step);
    }

    private static IReadOnlyList<object?> AsList(string key, string kind, object? value) => value switch
    {
        IEnumerable<object?> list when value is not string => list.ToList(),
        _ => throw new ArgumentException($"{key}: {kind} needs a list, got '{Show(value)}'"),
    };

    private static double Number(string key, object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) => d,
        _ => throw new ArgumentException($"{key}: expected a number, got '{Show(value)}'"),
    };

    private static bool Bool(string key, object? value) => value switch
    {
        bool b => b,
        string s when bool.TryParse(s, out bool b) => b,
        _ => throw new ArgumentException($"{key}: expected true or false, got '{Show(value)}'"),
    };

    /// <summary>A choice as the value it spells: YAML leaves numbers and booleans as strings.</summary>
    private static object? Scalar(object? value) => value switch
    {
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) => l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
        string s when bool.TryParse(s, out bool b) => b,
        string s when s is "null" or "~" => null,
        _ => value,
    };

    private static string Show(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";
}
