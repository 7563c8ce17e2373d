using System.Globalization;

namespace Sparta.Tuning;

/// <summary>
/// A trial's constraint values, stored as Optuna stores them (the system attribute
/// <c>constraints</c>, a JSON list): the trial is feasible when every value is at most 0, and its
/// violation is the sum of the positive ones. Samplers that take constraints prefer feasible trials.
/// </summary>
public static class TrialConstraints
{
    /// <summary>Optuna's key (<c>optuna.samplers._base._CONSTRAINTS_KEY</c>).</summary>
    public const string Key = "constraints";

    /// <summary>The constraint values stored with the trial, or null when it has none.</summary>
    public static IReadOnlyList<double>? Of(FrozenTrial trial)
    {
        if (!trial.SystemAttrs.TryGetValue(Key, out var json)) return null;
        // Optuna writes null when the constraints function failed; Python's json writes Infinity bare, which JSON readers refuse.
        string text = json.Trim();
        if (!text.StartsWith('[') || !text.EndsWith(']')) return null;
        string inner = text[1..^1].Trim();
        return inner.Length == 0 ? [] : inner.Split(',').Select(v => ReadNumber(trial, v.Trim())).ToArray();
    }

    public static bool Feasible(IReadOnlyList<double> constraints) => constraints.All(c => c <= 0);

    public static double Violation(IReadOnlyList<double> constraints) => constraints.Where(c => c > 0).Sum();

    /// <summary>The JSON text Optuna writes for a tuple of floats: <c>[1.5, -2.0]</c>.</summary>
    public static string ToJson(IReadOnlyList<double> constraints)
    {
        foreach (double c in constraints)
            if (double.IsNaN(c)) throw new ArgumentException("constraints: a constraint value cannot be NaN");
        return "[" + string.Join(", ", constraints.Select(c => Distributions.PythonJson.Scalar(c))) + "]";
    }

    private static double ReadNumber(FrozenTrial trial, string text) => text switch
    {
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new FormatException($"trial {trial.Number}: constraint value '{text}' is not a number"),
    };
}
