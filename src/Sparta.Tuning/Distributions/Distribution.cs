using System.Text.Json;

namespace Sparta.Tuning.Distributions;

/// <summary>
/// The range a parameter is drawn from. Like Optuna, a value has two forms: the external one the
/// objective sees (double, long, or a categorical choice) and an internal double that storages
/// and samplers work with (the value itself for numbers, the index of the choice for
/// categoricals). <see cref="ToJson"/> writes Optuna's distribution JSON byte for byte, so a study
/// database is shared with Optuna.
/// </summary>
public abstract class Distribution : IEquatable<Distribution>
{
    /// <summary>The value the objective sees for an internal value.</summary>
    public abstract object? ToExternal(double internalValue);

    /// <summary>The internal double for a value the objective (or an enqueued configuration) gives.</summary>
    public abstract double ToInternal(object? externalValue);

    /// <summary>Whether an internal value lies in the range (and on its step).</summary>
    public abstract bool Contains(double internalValue);

    /// <summary>A range with one value only: samplers need not sample it.</summary>
    public abstract bool IsSingle { get; }

    /// <summary>Optuna's <c>distribution_to_json</c>: <c>{"name": "...", "attributes": {...}}</c>.</summary>
    public abstract string ToJson();

    public abstract bool Equals(Distribution? other);
    public override bool Equals(object? obj) => obj is Distribution d && Equals(d);
    public abstract override int GetHashCode();

    /// <summary>Optuna's <c>json_to_distribution</c>, including its deprecated class names and abbreviated form.</summary>
    public static Distribution FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("name", out var nameElement))
        {
            string name = nameElement.GetString() ?? "";
            var a = root.GetProperty("attributes");
            return name switch
            {
                "FloatDistribution" => new FloatDistribution(a.GetProperty("low").GetDouble(), a.GetProperty("high").GetDouble(),
                    a.TryGetProperty("log", out var log) && log.GetBoolean(), OptionalDouble(a, "step")),
                "UniformDistribution" => new FloatDistribution(a.GetProperty("low").GetDouble(), a.GetProperty("high").GetDouble()),
                "LogUniformDistribution" => new FloatDistribution(a.GetProperty("low").GetDouble(), a.GetProperty("high").GetDouble(), log: true),
                "DiscreteUniformDistribution" => new FloatDistribution(a.GetProperty("low").GetDouble(), a.GetProperty("high").GetDouble(),
                    step: a.GetProperty("q").GetDouble()),
                "IntDistribution" => new IntDistribution(a.GetProperty("low").GetInt64(), a.GetProperty("high").GetInt64(),
                    a.TryGetProperty("log", out var ilog) && ilog.GetBoolean(), OptionalLong(a, "step") ?? 1),
                "IntUniformDistribution" => new IntDistribution(a.GetProperty("low").GetInt64(), a.GetProperty("high").GetInt64(),
                    step: OptionalLong(a, "step") ?? 1),
                // Optuna's samplers ignore the deprecated step of IntLogUniformDistribution, and so do we.
                "IntLogUniformDistribution" => new IntDistribution(a.GetProperty("low").GetInt64(), a.GetProperty("high").GetInt64(), log: true),
                "CategoricalDistribution" => new CategoricalDistribution(ReadChoices(a.GetProperty("choices"))),
                _ => throw new FormatException($"distribution JSON: unknown distribution class '{name}'"),
            };
        }
        string type = root.GetProperty("type").GetString() ?? "";
        return type switch
        {
            "categorical" => new CategoricalDistribution(ReadChoices(root.GetProperty("choices"))),
            "float" => new FloatDistribution(root.GetProperty("low").GetDouble(), root.GetProperty("high").GetDouble(),
                root.TryGetProperty("log", out var flog) && flog.GetBoolean(), OptionalDouble(root, "step")),
            "int" => new IntDistribution(root.GetProperty("low").GetInt64(), root.GetProperty("high").GetInt64(),
                root.TryGetProperty("log", out var ilog2) && ilog2.GetBoolean(), OptionalLong(root, "step") ?? 1),
            _ => throw new FormatException($"distribution JSON: unknown distribution type '{type}'"),
        };
    }

    /// <summary>
    /// Optuna's <c>check_distribution_compatibility</c>: one parameter name keeps one kind of
    /// distribution, one log setting and (for categoricals) one set of choices across a study;
    /// the bounds may change between trials.
    /// </summary>
    public static void CheckCompatibility(string name, Distribution recorded, Distribution requested)
    {
        if (recorded.GetType() != requested.GetType())
            throw new ArgumentException($"parameter '{name}': recorded as {recorded.ToJson()}, cannot become {requested.ToJson()}");
        bool logDiffers = (recorded, requested) switch
        {
            (FloatDistribution a, FloatDistribution b) => a.Log != b.Log,
            (IntDistribution a, IntDistribution b) => a.Log != b.Log,
            _ => false,
        };
        if (logDiffers || (recorded is CategoricalDistribution && !recorded.Equals(requested)))
            throw new ArgumentException($"parameter '{name}': recorded as {recorded.ToJson()}, cannot become {requested.ToJson()}");
    }

    private static double? OptionalDouble(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetDouble() : null;

    private static long? OptionalLong(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetInt64() : null;

    private static List<object?> ReadChoices(JsonElement array) =>
        array.EnumerateArray().Select(PythonJson.ReadScalar).ToList();
}
