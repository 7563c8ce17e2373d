using System.Text.RegularExpressions;
using Sparta.Cli;
using Sparta.Cli.Commands;
using Sparta.Diagnostics;
using Sparta.Optimizers;

namespace Sparta.Tests.Diagnostics;

public class OptimizerLabTests
{
    [Fact]
    public void MomentumBeatsPlainSgdOnTheIllConditionedQuadratic()
    {
        var races = OptimizerLab.RunAll(OptimizerLab.Quadratic, 3000).ToDictionary(r => r.Optimizer);
        int sgd = races["sgd"].StepsToConverge ?? int.MaxValue;
        int momentum = races["momentum"].StepsToConverge ?? int.MaxValue;
        Assert.True(sgd < 3000, "sgd should converge on the quadratic within 3000 steps");
        // Along the shallow axis SGD shrinks by (1 − lr) per step: ln(4 / 1e-3) / 0.012 ≈ 691 steps.
        Assert.InRange(sgd, 600, 700);
        Assert.True(momentum < sgd / 2, $"momentum {momentum} steps, sgd {sgd}");
    }

    [Fact]
    public void SgdFollowsTheGradientStepExactly()
    {
        var surface = OptimizerLab.Quadratic;
        var race = OptimizerLab.Run(surface, "sgd", 0.01, new Sgd(0.01), steps: 3);
        var (x, y) = surface.Start;
        for (int i = 1; i <= 3; i++)
        {
            var (dx, dy) = surface.Gradient(x, y);
            (x, y) = (x - 0.01 * dx, y - 0.01 * dy);
            Assert.Equal(x, race.Path[i].X, 5);
            Assert.Equal(y, race.Path[i].Y, 5);
        }
    }

    [Fact]
    public void TheChartHasOnePathPerOptimizerWithEveryPoint()
    {
        var races = OptimizerLab.RunAll(OptimizerLab.Rosenbrock, 200);
        string svg = LabOptimizers.PathChart(OptimizerLab.Rosenbrock, races).ToSvg();
        var paths = Regex.Matches(svg, "<path data-series=\"([^\"]+)\" data-points=\"(\\d+)\" d=\"([^\"]*)\"");
        Assert.Equal(races.Select(r => r.Optimizer), paths.Select(m => m.Groups[1].Value));
        for (int i = 0; i < races.Count; i++)
        {
            Assert.Equal(races[i].Path.Count, int.Parse(paths[i].Groups[2].Value));
            Assert.Equal(races[i].Path.Count, Regex.Matches(paths[i].Groups[3].Value, "[ML]").Count);
        }
    }

    [Fact]
    public void TheCommandPrintsOneLinePerOptimizerAndSurface()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, CommandLine.Run(["lab", "optimizers", "--steps", "50"], output, error));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(12, lines.Count(l => l.Contains("converge")));
        Assert.Contains(lines, l => l.Contains("did not converge in 50 steps"));
    }

    [Fact]
    public void InitStatsCommandPrintsTheSlidesTableAndNamesBadOptions()
    {
        var output = new StringWriter();
        Assert.Equal(0, CommandLine.Run(["lab", "init-stats", "--layers", "3", "--units", "20", "--samples", "30", "--activation", "relu", "--init", "he"], output, new StringWriter()));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^data mean -?\d+\.\d{6} std \d+\.\d{6}$", lines[0]);
        Assert.Matches(@"^Layer 2\tmean \d+\.\d{6}\tstd \d+\.\d{6}$", lines[3]);

        var error = new StringWriter();
        Assert.Equal(1, CommandLine.Run(["lab", "init-stats", "--init", "normal:0"], new StringWriter(), error));
        Assert.Contains("normal:0", error.ToString());
    }

    [Fact]
    public void InitStatsWritesTheSlidesFigures()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"sparta-init-stats-{Environment.ProcessId}");
        try
        {
            Assert.Equal(0, CommandLine.Run(["lab", "init-stats", "--layers", "2", "--units", "10", "--samples", "20", "--svg", directory], new StringWriter(), new StringWriter()));
            Assert.Equal(["layer-0-histogram.svg", "layer-1-histogram.svg", "layer-mean.svg", "layer-std.svg"],
                Directory.GetFiles(directory).Select(Path.GetFileName).Order());
            Assert.Contains("data-points=\"2\"", File.ReadAllText(Path.Combine(directory, "layer-std.svg")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void LearningRateFinderLabNamesAnUnknownOptimizer()
    {
        var error = new StringWriter();
        Assert.Equal(2, CommandLine.Run(["lab", "lr-finder", "--optimizer", "adamax"], new StringWriter(), error));
        Assert.Contains("'adamax'", error.ToString());
    }
}
