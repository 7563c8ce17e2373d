using System.Globalization;

namespace Sparta.Tuning.TestFunctions;

/// <summary>
/// A standard optimization benchmark on its standard domain, to compare samplers without
/// training anything. Parameters are named x1..xD.
/// </summary>
public sealed record TestFunction(string Name, double[] Low, double[] High, Func<double[], double> Evaluate, double Minimum)
{
    public int Dimension => Low.Length;

    /// <summary>The objective: suggests x1..xD uniformly over the domain and evaluates the function.</summary>
    public double Objective(Trial trial)
    {
        var x = new double[Dimension];
        for (int i = 0; i < x.Length; i++) x[i] = trial.SuggestFloat($"x{i + 1}", Low[i], High[i]);
        return Evaluate(x);
    }

    /// <summary>Parses <c>branin</c>, <c>hartmann6</c>, <c>rosenbrock:D</c> or <c>styblinski-tang:D</c>.</summary>
    public static TestFunction Parse(string spec)
    {
        string[] parts = spec.Split(':');
        string name = parts[0].ToLowerInvariant();
        int? dimension = null;
        if (parts.Length == 2)
        {
            if (!int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int d) || d < 2 || d > 40)
                throw new ArgumentException($"objective: dimension must be an integer in [2, 40], got '{parts[1]}' in '{spec}'");
            dimension = d;
        }
        if (parts.Length > 2) throw new ArgumentException($"objective: expected NAME or NAME:D, got '{spec}'");
        return (name, dimension) switch
        {
            ("branin", null) => Branin(),
            ("hartmann6", null) => Hartmann6(),
            ("rosenbrock", int d) => Rosenbrock(d),
            ("styblinski-tang", int d) => StyblinskiTang(d),
            ("rosenbrock" or "styblinski-tang", null) => throw new ArgumentException($"objective: '{name}' needs a dimension, e.g. '{name}:5'"),
            ("branin" or "hartmann6", _) => throw new ArgumentException($"objective: '{name}' has a fixed dimension, got '{spec}'"),
            _ => throw new ArgumentException($"objective: unknown test function '{spec}' (known: branin, hartmann6, rosenbrock:D, styblinski-tang:D)"),
        };
    }

    /// <summary>Branin-Hoo on x1 in [-5, 10], x2 in [0, 15]; minimum 0.397887 at three points.</summary>
    public static TestFunction Branin() => new("branin", new[] { -5.0, 0 }, new[] { 10.0, 15 }, x =>
    {
        const double a = 1, r = 6, s = 10;
        double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        double u = x[1] - b * x[0] * x[0] + c * x[0] - r;
        return a * u * u + s * (1 - t) * Math.Cos(x[0]) + s;
    }, 0.39788735772973816);

    private static readonly double[] HartmannAlpha = { 1.0, 1.2, 3.0, 3.2 };
    private static readonly double[,] HartmannA =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };
    private static readonly double[,] HartmannP =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    /// <summary>Hartmann 6-D on [0, 1]^6; minimum -3.32237.</summary>
    public static TestFunction Hartmann6() => new("hartmann6", new double[6], Enumerable.Repeat(1.0, 6).ToArray(), x =>
    {
        double sum = 0;
        for (int i = 0; i < 4; i++)
        {
            double inner = 0;
            for (int j = 0; j < 6; j++) inner += HartmannA[i, j] * (x[j] - HartmannP[i, j]) * (x[j] - HartmannP[i, j]);
            sum += HartmannAlpha[i] * Math.Exp(-inner);
        }
        return -sum;
    }, -3.3223680114155153);

    /// <summary>Rosenbrock on [-5, 10]^D; minimum 0 at (1, ..., 1).</summary>
    public static TestFunction Rosenbrock(int d) => new($"rosenbrock:{d}", Enumerable.Repeat(-5.0, d).ToArray(), Enumerable.Repeat(10.0, d).ToArray(), x =>
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i++) sum += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
        return sum;
    }, 0);

    /// <summary>Styblinski-Tang on [-5, 5]^D; minimum -39.16617 D at x_i = -2.903534.</summary>
    public static TestFunction StyblinskiTang(int d) => new($"styblinski-tang:{d}", Enumerable.Repeat(-5.0, d).ToArray(), Enumerable.Repeat(5.0, d).ToArray(), x =>
        0.5 * x.Sum(v => v * v * v * v - 16 * v * v + 5 * v), -39.166165703771412 * d);
}
