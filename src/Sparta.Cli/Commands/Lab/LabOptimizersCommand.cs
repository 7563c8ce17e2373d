using System.CommandLine;
using System.Globalization;
using Sparta.Charts;
using Sparta.Diagnostics;

namespace Sparta.Cli.Commands;

/// <summary><c>sparta lab optimizers</c>: steps to converge per optimizer on each surface of <see cref="OptimizerLab"/>, and their paths as SVG.</summary>
public sealed class LabOptimizersCommand : SpartaCommand
{
    private readonly Option<int> _steps = OptionFactory.Int("--steps", "steps allowed to converge", 5000, 1, 10_000_000);
    private readonly Option<string?> _svg = OptionFactory.OptionalText("--svg", "write the optimizers' paths as one SVG file, a chart per surface (quadratic, Rosenbrock) side by side", "FILE.svg");
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public LabOptimizersCommand() : base("optimizers", "Steps each optimizer takes to converge on a quadratic and on Rosenbrock's function, and their paths.",
        "sparta lab optimizers --steps 5000 --svg charts/paths.svg")
    {
        Add(_steps);
        Add(_svg);
        Add(_threads);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        int steps = parse.GetValue(_steps);
        string? svg = parse.GetValue(_svg);
        Parallelism.ThreadCount = parse.GetValue(_threads);
        var figure = new ChartGrid("Optimizer paths", 2);
        foreach (var surface in new[] { OptimizerLab.Quadratic, OptimizerLab.Rosenbrock })
        {
            var races = OptimizerLab.RunAll(surface, steps);
            output.WriteLine($"{surface.Name}, start ({surface.Start.X}, {surface.Start.Y}), minimum ({surface.Minimum.X}, {surface.Minimum.Y}), tolerance 1e-3");
            foreach (var race in races)
            {
                string outcome = race.StepsToConverge is int n ? $"converged in {n} steps" : $"did not converge in {steps} steps";
                var (x, y) = race.Path[^1];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {race.Optimizer,-9} lr {race.LearningRate,-6:G3} {outcome,-32} last ({x:G4}, {y:G4})"));
            }
            figure.Add(PathChart(surface, races));
        }
        if (svg is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(svg))!);
            figure.Save(svg);
            output.WriteLine($"paths: {Path.GetFullPath(svg)}");
        }
        return 0;
    }

    /// <summary>One polyline per optimizer over a window around the start and the minimum.</summary>
    internal static XYChart PathChart(OptimizerLab.Surface surface, IReadOnlyList<OptimizerLab.Race> races)
    {
        var chart = new XYChart($"Optimizer paths: {surface.Name}", "x", "y");
        double xMin = Math.Min(surface.Start.X, surface.Minimum.X), xMax = Math.Max(surface.Start.X, surface.Minimum.X);
        double yMin = Math.Min(surface.Start.Y, surface.Minimum.Y), yMax = Math.Max(surface.Start.Y, surface.Minimum.Y);
        double padX = 0.25 * (xMax - xMin), padY = 0.5 * (yMax - yMin) + 0.5;
        // A window around the start and the minimum: a diverging path leaves it and is clipped at its edge.
        chart.XRange = (xMin - padX, xMax + padX);
        chart.YRange = (yMin - padY, yMax + padY);
        foreach (var race in races) chart.Line(race.Optimizer, race.Path);
        return chart;
    }
}
