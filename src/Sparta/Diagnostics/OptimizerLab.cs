using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Diagnostics;

/// <summary>
/// The optimizers of the slides raced on two 2-D surfaces: an ill-conditioned quadratic, where
/// plain SGD zig-zags across the steep direction while crawling along the shallow one and momentum
/// damps the zig-zag, and Rosenbrock's curved valley. Each runs the library's real optimizer on a
/// 2-element parameter; the gradient is the surface's exact one.
/// </summary>
public static class OptimizerLab
{
    /// <summary>A 2-D function with its gradient, start point and minimum.</summary>
    public sealed record Surface(string Name, Func<double, double, double> Value, Func<double, double, (double Dx, double Dy)> Gradient,
        (double X, double Y) Start, (double X, double Y) Minimum);

    /// <summary>One optimizer's run: the visited points (start included) and the step at which it came within tolerance, or null.</summary>
    public sealed record Race(string Optimizer, double LearningRate, IReadOnlyList<(double X, double Y)> Path, int? StepsToConverge);

    /// <summary>f = (x² + 100·y²) / 2: condition number 100.</summary>
    public static Surface Quadratic { get; } = new("ill-conditioned quadratic", (x, y) => 0.5 * (x * x + 100 * y * y),
        (x, y) => (x, 100 * y), (-4, 1), (0, 0));

    /// <summary>f = (1 − x)² + 100·(y − x²)²: the banana valley, minimum at (1, 1).</summary>
    public static Surface Rosenbrock { get; } = new("Rosenbrock valley", (x, y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
        (x, y) => (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)), (-1.2, 1), (1, 1));

    /// <summary>
    /// The contenders with rates that are stable on each surface (the steepest curvature bounds
    /// SGD's rate at 2/100 on the quadratic, Nesterov's at 1.36/100 with momentum 0.9, and Rosenbrock's valley walls are steeper still).
    /// </summary>
    public static IReadOnlyList<(string Name, double LearningRate, Func<double, Optimizer> Create)> Contenders(Surface surface)
    {
        bool quadratic = surface == Quadratic;
        double sgdRate = quadratic ? 0.012 : 0.001;
        return
        [
            ("sgd", sgdRate, r => new Sgd(r)),
            ("momentum", sgdRate, r => new Sgd(r, momentum: 0.9)),
            ("nesterov", sgdRate, r => new Sgd(r, momentum: 0.9, nesterov: true)),
            ("adagrad", quadratic ? 1.0 : 0.5, r => new Adagrad(r)),
            ("rmsprop", quadratic ? 0.002 : 0.001, r => new RmsProp(r)),
            ("adam", quadratic ? 0.1 : 0.02, r => new Adam(r)),
        ];
    }

    /// <summary>Runs <paramref name="optimizer"/> for up to <paramref name="steps"/> steps; converged when within <paramref name="tolerance"/> of the minimum.</summary>
    public static Race Run(Surface surface, string name, double learningRate, Optimizer optimizer, int steps, double tolerance = 1e-3)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), $"optimizer lab: steps must be positive, got {steps}");
        var point = new Parameter("xy", Tensor.FromArray([(float)surface.Start.X, (float)surface.Start.Y], 2));
        Parameter[] parameters = [point];
        var path = new List<(double X, double Y)> { surface.Start };
        int? converged = null;
        for (int step = 1; step <= steps; step++)
        {
            var xy = point.Value.Span;
            var (dx, dy) = surface.Gradient(xy[0], xy[1]);
            var gradient = point.Gradient.Span;
            gradient[0] = (float)dx;
            gradient[1] = (float)dy;
            optimizer.Step(parameters);
            path.Add((xy[0], xy[1]));
            if (!double.IsFinite(xy[0]) || !double.IsFinite(xy[1])) break;
            if (Math.Sqrt(Square(xy[0] - surface.Minimum.X) + Square(xy[1] - surface.Minimum.Y)) < tolerance)
            {
                converged = step;
                break;
            }
        }
        return new Race(name, learningRate, path, converged);
    }

    public static IReadOnlyList<Race> RunAll(Surface surface, int steps) =>
        Contenders(surface).Select(c => Run(surface, c.Name, c.LearningRate, c.Create(c.LearningRate), steps)).ToArray();

    private static double Square(double v) => v * v;
}
