using System.Globalization;

namespace Sparta.Tuning.TestFunctions;

/// <summary>
/// A standard benchmark of several objectives (all minimized), with constraints when it has them
/// (feasible when every value is at most 0), to try samplers of several objectives without
/// training anything. Parameters are named x1..xD, as <see cref="TestFunction"/>'s.
/// </summary>
public sealed record MultiObjectiveFunction(string Name, double[] Low, double[] High, Func<double[], double[]> Evaluate,
    Func<double[], double[]>? Constraints = null)
{
    public int Dimension => Low.Length;

    public IReadOnlyList<StudyDirection> Directions => Evaluate(Low).Select(_ => StudyDirection.Minimize).ToArray();

    /// <summary>The objective: suggests x1..xD uniformly over the domain, records the constraints, returns the values.</summary>
    public IReadOnlyList<double> Objective(Trial trial)
    {
        var x = new double[Dimension];
        for (int i = 0; i < x.Length; i++) x[i] = trial.SuggestFloat($"x{i + 1}", Low[i], High[i]);
        if (Constraints is not null) trial.SetConstraints(Constraints(x));
        return Evaluate(x);
    }

    /// <summary>The names <see cref="TryParse"/> knows, for messages.</summary>
    public const string Known = "zdt1:D, binh-korn";

    /// <summary>Parses <c>zdt1:D</c> or <c>binh-korn</c>; null for a name that is not a function of several objectives.</summary>
    public static MultiObjectiveFunction? TryParse(string spec)
    {
        string[] parts = spec.Split(':');
        return parts[0].ToLowerInvariant() switch
        {
            "binh-korn" when parts.Length == 1 => BinhKorn(),
            "binh-korn" => throw new ArgumentException($"objective: 'binh-korn' has a fixed dimension, got '{spec}'"),
            "zdt1" when parts.Length == 2 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int d) && d is >= 2 and <= 40 => Zdt1(d),
            "zdt1" => throw new ArgumentException($"objective: 'zdt1' needs a dimension in [2, 40], e.g. 'zdt1:5', got '{spec}'"),
            _ => null,
        };
    }

    /// <summary>
    /// ZDT1 (Zitzler, Deb and Thiele 2000) on [0, 1]^D: f1 = x1, f2 = g (1 - sqrt(f1 / g)) with
    /// g = 1 + 9 (x2 + ... + xD) / (D - 1); the Pareto front is f2 = 1 - sqrt(f1), where x2..xD are 0.
    /// </summary>
    public static MultiObjectiveFunction Zdt1(int d) => new($"zdt1:{d}", new double[d], Enumerable.Repeat(1.0, d).ToArray(), x =>
    {
        double g = 1 + 9 * x.Skip(1).Sum() / (x.Length - 1);
        return [x[0], g * (1 - Math.Sqrt(x[0] / g))];
    });

    /// <summary>
    /// Binh and Korn's constrained problem (Optuna's example of constraints): x1 in [0, 5], x2 in [0, 3],
    /// f1 = 4 x1² + 4 x2², f2 = (x1 - 5)² + (x2 - 5)², subject to (x1 - 5)² + x2² ≤ 25 and (x1 - 8)² + (x2 + 3)² ≥ 7.7.
    /// </summary>
    public static MultiObjectiveFunction BinhKorn() => new("binh-korn", [0, 0], [5, 3],
        x => [4 * x[0] * x[0] + 4 * x[1] * x[1], Math.Pow(x[0] - 5, 2) + Math.Pow(x[1] - 5, 2)],
        x => [Math.Pow(x[0] - 5, 2) + x[1] * x[1] - 25, 7.7 - Math.Pow(x[0] - 8, 2) - Math.Pow(x[1] + 3, 2)]);
}
