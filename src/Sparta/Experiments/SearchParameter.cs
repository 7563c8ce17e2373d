namespace Sparta.Experiments;

public enum SearchKind { Uniform, LogUniform, Int, Choice }

/// <summary>
/// A value of the experiment file written as a distribution (<c>learning_rate: {loguniform: [1e-3, 10]}</c>),
/// independent of any tuning library: its name, the kind and its bounds, step or choices.
/// <see cref="Path"/> is the parameter's name: its key path in the file, except that inside a
/// choice of blocks the chosen option's label stands for <c>choice.N</c>
/// (<c>optimizer.sgd.momentum</c>) and inside a repeated layer the copy's number follows
/// <c>layer</c> (<c>model.layers.1.layer.0.units</c>). A parameter with a
/// <see cref="Condition"/> is drawn only in trials where the condition holds.
/// <see cref="Experiment.Resolve(Func{SearchParameter, object?})"/> substitutes sampled values.
/// </summary>
public sealed record SearchParameter(string Path, SearchKind Kind, double Low = 0, double High = 0, double? Step = null,
    bool Log = false, IReadOnlyList<object>? Choices = null, SearchCondition? Condition = null)
{
    /// <summary>The distribution keys an experiment file accepts.</summary>
    public static readonly string[] KindNames = ["uniform", "loguniform", "int", "choice"];

    /// <summary>The value standing in for the distribution when a file is checked: the low end, or the first choice.</summary>
    public object First => Kind switch
    {
        SearchKind.Choice => Choices![0],
        SearchKind.Int => (long)Low,
        _ => Low,
    };
}

/// <summary>
/// When a conditional parameter is drawn: the choice <see cref="Parameter"/> took the option
/// labelled <see cref="Option"/>, or the repeat count <see cref="Parameter"/> is above
/// <see cref="Copy"/> (copy 2 of a repeated layer exists when the count is 3 or more). Only the
/// innermost condition is kept: the parameter it names has its own condition, if any.
/// </summary>
public sealed record SearchCondition(string Parameter, string? Option = null, int? Copy = null)
{
    public bool HoldsFor(object? value) => Option is not null
        ? Equals(value, Option)
        : value is not null && Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) > Copy;

    /// <summary>The value of <see cref="Parameter"/> that makes the condition hold with the fewest copies.</summary>
    public object Satisfying => Option is not null ? Option : (object)(long)(Copy!.Value + 1);

    public override string ToString() => Option is not null ? $"{Parameter} = {Option}" : $"{Parameter} > {Copy}";
}
