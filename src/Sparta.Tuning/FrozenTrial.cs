using Sparta.Tuning.Distributions;

namespace Sparta.Tuning;

/// <summary>
/// A snapshot of one trial as a storage holds it (Optuna's FrozenTrial). Parameters are kept in
/// their internal form with their distributions; <see cref="Params"/> gives the values the
/// objective saw. Attribute values are JSON texts, as the relational schema stores them.
/// Also serves as the template of a trial to create (a queued configuration, a retry, a trial
/// copied from another study); the storage then assigns <see cref="Number"/> and <see cref="TrialId"/>.
/// </summary>
public sealed record FrozenTrial
{
    private static readonly IReadOnlyDictionary<string, double> NoParams = new Dictionary<string, double>();
    private static readonly IReadOnlyDictionary<string, Distribution> NoDistributions = new Dictionary<string, Distribution>();
    private static readonly IReadOnlyDictionary<string, string> NoAttrs = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<int, double> NoIntermediates = new Dictionary<int, double>();

    /// <summary>The storage's key for the trial (unique across studies).</summary>
    public int TrialId { get; init; }
    /// <summary>The trial's rank in its study: 0, 1, 2, ... in order of creation.</summary>
    public int Number { get; init; }
    public TrialState State { get; init; }
    /// <summary>One value per objective once the trial is complete (or a pruned trial's last report); null otherwise.</summary>
    public IReadOnlyList<double>? Values { get; init; }
    public DateTime? DatetimeStart { get; init; }
    public DateTime? DatetimeComplete { get; init; }
    public IReadOnlyDictionary<string, double> InternalParams { get; init; } = NoParams;
    public IReadOnlyDictionary<string, Distribution> Distributions { get; init; } = NoDistributions;
    public IReadOnlyDictionary<string, string> UserAttrs { get; init; } = NoAttrs;
    public IReadOnlyDictionary<string, string> SystemAttrs { get; init; } = NoAttrs;
    /// <summary>Values reported during the trial, by step (epoch).</summary>
    public IReadOnlyDictionary<int, double> IntermediateValues { get; init; } = NoIntermediates;

    /// <summary>The single objective's value, or null when the trial has none.</summary>
    public double? Value => Values is { Count: 1 } v ? v[0] : null;

    /// <summary>The parameters as the objective saw them (double, long or the categorical choice), in suggestion order.</summary>
    public IReadOnlyDictionary<string, object?> Params =>
        InternalParams.ToDictionary(p => p.Key, p => Distributions[p.Key].ToExternal(p.Value));

    public TimeSpan? Duration => DatetimeStart is DateTime s && DatetimeComplete is DateTime c ? c - s : null;

    /// <summary>The last step reported, or null when nothing was reported.</summary>
    public int? LastStep => IntermediateValues.Count == 0 ? null : IntermediateValues.Keys.Max();
}
