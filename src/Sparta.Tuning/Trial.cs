using System.Text.Json;
using Sparta.Tensors;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning;

/// <summary>
/// One evaluation of the objective, define-by-run: the objective asks for each value where it
/// needs it (<c>trial.SuggestFloat("lr", 1e-3, 10, log: true)</c>), so conditional parameters
/// are just code. Every value is recorded in the storage as soon as it is drawn.
/// </summary>
public sealed class Trial
{
    private readonly Dictionary<string, double> _params = new();
    private readonly Dictionary<string, Distribution> _distributions = new();
    private readonly Dictionary<int, double> _intermediates = new();
    private readonly IReadOnlyDictionary<string, object?> _fixedParams;
    private IReadOnlyDictionary<string, Distribution>? _relativeSpace;
    private IReadOnlyDictionary<string, double>? _relativeParams;
    private readonly FrozenTrial _started;

    internal Trial(Study study, FrozenTrial started, ulong seed)
    {
        Study = study;
        _started = started;
        Seed = seed;
        Random = new RandomGenerator(seed);
        _fixedParams = ReadFixedParams(started);
        foreach (var (name, value) in started.InternalParams)
        {
            _params[name] = value;
            _distributions[name] = started.Distributions[name];
        }
        foreach (var (step, value) in started.IntermediateValues) _intermediates[step] = value;
    }

    public Study Study { get; }
    public int TrialId => _started.TrialId;
    public int Number => _started.Number;
    /// <summary>Derived from the study's seed and this trial's number; stored with the trial so it can be re-run exactly.</summary>
    public ulong Seed { get; }
    /// <summary>A generator seeded with <see cref="Seed"/>, for the objective's own randomness (initialization, shuffles).</summary>
    public RandomGenerator Random { get; }

    /// <summary>The parameters drawn so far, as the objective saw them.</summary>
    public IReadOnlyDictionary<string, object?> Params => _params.ToDictionary(p => p.Key, p => _distributions[p.Key].ToExternal(p.Value));

    public IReadOnlyDictionary<string, Distribution> Distributions => _distributions;

    /// <summary>A real value in [low, high]: uniform, log-uniform (<paramref name="log"/>), or on a grid of <paramref name="step"/>.</summary>
    public double SuggestFloat(string name, double low, double high, bool log = false, double? step = null)
    {
        CheckRange(name, low, high, log);
        return (double)Suggest(name, new FloatDistribution(low, high, log, step))!;
    }

    /// <summary>An integer in [low, high] on a grid of <paramref name="step"/>, linear or log-uniform.</summary>
    public int SuggestInt(string name, int low, int high, int step = 1, bool log = false)
    {
        CheckRange(name, low, high, log);
        return checked((int)(long)Suggest(name, new IntDistribution(low, high, log, step))!);
    }

    /// <summary>One of <paramref name="choices"/> (null, bool, integers, floats or strings).</summary>
    public T SuggestCategorical<T>(string name, IReadOnlyList<T> choices)
    {
        var distribution = new CategoricalDistribution(choices.Cast<object?>());
        Suggest(name, distribution);
        // Return the caller's own object: the distribution widened integers to long.
        return choices[(int)_params[name]];
    }

    /// <summary>
    /// A value from any distribution: the entry point for search spaces described as data (an
    /// experiment file). Asking again for a name returns the value already drawn.
    /// </summary>
    public object? Suggest(string name, Distribution distribution)
    {
        if (_params.TryGetValue(name, out double existing))
        {
            Distribution.CheckCompatibility(name, _distributions[name], distribution);
            return _distributions[name].ToExternal(existing);
        }
        double value;
        if (_fixedParams.TryGetValue(name, out var given))
            value = distribution.ToInternal(given);
        else if (distribution.IsSingle)
            value = distribution.ToInternal(SingleValue(distribution));
        else if (RelativeSpace().TryGetValue(name, out var relative) && relative.Equals(distribution) && RelativeParams().TryGetValue(name, out double joint))
            value = joint;
        else
            value = Study.Sampler.SampleIndependent(Study, Snapshot(), name, distribution);
        Study.Storage.SetTrialParam(TrialId, name, value, distribution);
        _params[name] = value;
        _distributions[name] = distribution;
        return distribution.ToExternal(value);
    }

    /// <summary>Records the objective's value at <paramref name="step"/> (an epoch), for pruners and plots.</summary>
    public void Report(double value, int step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), $"step must be non-negative, got {step}");
        Study.Storage.SetTrialIntermediateValue(TrialId, step, value);
        _intermediates[step] = value;
    }

    /// <summary>Whether the study's pruner would stop this trial now; the objective then throws <see cref="TrialPruned"/>.</summary>
    public bool ShouldPrune() => Study.Pruner.Prune(Study, Study.Storage.GetTrial(TrialId)); // fresh: pruners keep state in system attributes

    /// <summary>Stores a user attribute: null, a bool, a number, a string, or a <see cref="System.Text.Json.Nodes.JsonNode"/> for structures.</summary>
    public void SetUserAttr(string key, object? value) => Study.Storage.SetTrialUserAttr(TrialId, key, AttrJson.Write(value));

    /// <summary>
    /// Records the trial's constraint values (feasible when all are at most 0), where Optuna's
    /// <c>constraints_func</c> puts them, before the trial is told: samplers that take constraints
    /// (NSGA-II, TPE) then prefer feasible trials, and the Pareto front keeps only feasible ones.
    /// </summary>
    public void SetConstraints(IReadOnlyList<double> constraints) =>
        Study.Storage.SetTrialSystemAttr(TrialId, TrialConstraints.Key, TrialConstraints.ToJson(constraints));

    /// <summary>This trial as the storage will hold it, built from what this object knows (no storage read).</summary>
    public FrozenTrial Snapshot() => _started with
    {
        InternalParams = new Dictionary<string, double>(_params),
        Distributions = new Dictionary<string, Distribution>(_distributions),
        IntermediateValues = new Dictionary<int, double>(_intermediates),
    };

    // The relative space is inferred at the first draw rather than when the trial starts: with a
    // concurrency the sampler may wait for earlier trials, and by then the trial sends heartbeats.
    private IReadOnlyDictionary<string, Distribution> RelativeSpace() =>
        _relativeSpace ??= Study.Sampler.InferRelativeSearchSpace(Study, Snapshot());

    private IReadOnlyDictionary<string, double> RelativeParams() =>
        _relativeParams ??= Study.Sampler.SampleRelative(Study, Snapshot(), RelativeSpace());

    private static void CheckRange(string name, double low, double high, bool log)
    {
        if (!(low < high)) throw new ArgumentException($"parameter '{name}': low must be below high (low={low}, high={high})");
        if (log && low <= 0) throw new ArgumentException($"parameter '{name}': a log range must be above zero (low={low}, high={high})");
    }

    private static object? SingleValue(Distribution distribution) => distribution switch
    {
        FloatDistribution f => f.Low,
        IntDistribution i => i.Low,
        CategoricalDistribution c => c.Choices[0],
        _ => throw new ArgumentException($"unknown distribution {distribution}"),
    };

    private static IReadOnlyDictionary<string, object?> ReadFixedParams(FrozenTrial trial)
    {
        if (!trial.SystemAttrs.TryGetValue(TrialSystemAttrs.FixedParams, out var json)) return new Dictionary<string, object?>();
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => PythonJson.ReadScalar(p.Value));
    }
}

/// <summary>Attribute values as JSON text: scalars exactly as Python writes them, JSON nodes as they are.</summary>
internal static class AttrJson
{
    public static string Write(object? value) => value switch
    {
        null or bool or int or long or double or float or string => PythonJson.Scalar(value),
        System.Text.Json.Nodes.JsonNode node => node.ToJsonString(),
        _ => throw new ArgumentException($"attribute: a value must be null, bool, number, string or JsonNode, got {value.GetType().Name}"),
    };

    /// <summary>The string a JSON string literal holds, or the JSON text itself for other values.</summary>
    public static string ReadText(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString()! : json;
        }
        catch (JsonException) { return json; }
    }
}
