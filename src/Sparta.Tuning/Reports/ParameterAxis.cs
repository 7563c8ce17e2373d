using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Reports;

/// <summary>
/// One parameter as the study's charts place it: numeric parameters by value over the range of
/// their distribution (on a log axis when the range is logarithmic), categorical ones by the index
/// of their choice, labelled with the choices.
/// </summary>
public sealed record ParameterAxis(string Name, bool Log, double Low, double High, IReadOnlyList<string>? Choices)
{
    public bool IsCategorical => Choices is not null;

    /// <summary>
    /// The trial's coordinate on this axis: the internal value, which is the number itself for
    /// numeric parameters and the choice's index for categorical ones.
    /// </summary>
    public double Position(FrozenTrial trial) => trial.InternalParams[Name];

    /// <summary>
    /// The axes of every parameter the trials have, in the order they were first suggested. A
    /// range that changed during the study (a warm start from narrower ranges) spans them all.
    /// </summary>
    public static IReadOnlyList<ParameterAxis> Of(IEnumerable<FrozenTrial> trials)
    {
        var axes = new Dictionary<string, ParameterAxis>();
        var order = new List<string>();
        foreach (var trial in trials)
            foreach (var (name, distribution) in trial.Distributions)
            {
                var axis = Of(name, distribution);
                if (axes.TryGetValue(name, out var seen)) axis = seen with { Low = Math.Min(seen.Low, axis.Low), High = Math.Max(seen.High, axis.High) };
                else order.Add(name);
                axes[name] = axis;
            }
        return order.Select(n => axes[n]).ToList();
    }

    private static ParameterAxis Of(string name, Distribution distribution) => distribution switch
    {
        FloatDistribution f => new ParameterAxis(name, f.Log, f.Low, f.High, null),
        IntDistribution i => new ParameterAxis(name, i.Log, i.Low, i.High, null),
        CategoricalDistribution c => new ParameterAxis(name, false, 0, c.Choices.Count - 1,
            c.Choices.Select(choice => Output.TrialLine.FormatValue(choice)).ToList()),
        _ => throw new ArgumentException($"parameter '{name}': no axis for a {distribution.GetType().Name}"),
    };
}
