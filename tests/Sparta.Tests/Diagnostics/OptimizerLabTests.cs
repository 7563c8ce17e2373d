using System.Text.RegularExpressions;
using System.Xml.Linq;
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
    public void TheChartHasOnePathPerOptimizerWithEveryFinitePoint()
    {
        var races = OptimizerLab.RunAll(OptimizerLab.Rosenbrock, 200);
        var svg = XDocument.Parse(LabOptimizersCommand.PathChart(OptimizerLab.Rosenbrock, races).ToSvg());
        var paths = svg.Descendants().Where(e => e.Name.LocalName == "path" && (string?)e.Attribute("class") == "mark line").ToArray();
        Assert.Equal(races.Select(r => r.Optimizer), paths.Select(p => (string)p.Attribute("data-series")!));
        for (int i = 0; i < races.Count; i++)
        {
            int finite = races[i].Path.Count(p => double.IsFinite(p.X) && double.IsFinite(p.Y));
            Assert.Equal(finite, ((string)paths[i].Attribute("data-x")!).Split(' ').Length);
            Assert.Equal(finite, Regex.Matches((string)paths[i].Attribute("d")!, "[ML]").Count);
        }
    }

    [Fact]
    public void SvgWritesTheFileNamedWithAChartPerSurface()
    {
        using var directory = new Sparta.Tests.Data.TempDirectory();
        string file = directory.File("paths.svg");
        var (output, error) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, CommandLine.Run(["lab", "optimizers", "--steps", "50", "--svg", file], output, error));
        Assert.Equal([file], Directory.GetFiles(directory.Path));
        var charts = XDocument.Load(file).Root!.Descendants().Where(e => e.Name.LocalName == "svg" && (string?)e.Attribute("class") == "chart").ToArray();
        Assert.Equal([$"Optimizer paths: {OptimizerLab.Quadratic.Name}", $"Optimizer paths: {OptimizerLab.Rosenbrock.Name}"],
            charts.Select(c => (string)c.Attribute("data-title")!));
        Assert.Contains($"paths: {file}", output.ToString());
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
            var output = new StringWriter();
            Assert.Equal(0, CommandLine.Run(["lab", "init-stats", "--layers", "2", "--units", "10", "--samples", "20", "--svg", directory], output, new StringWriter()));
            Assert.Equal(["layer-0-histogram.svg", "layer-1-histogram.svg", "layer-mean.svg", "layer-std.svg"],
                Directory.GetFiles(directory).Select(Path.GetFileName).Order());
            // The std chart draws the printed stds, layer by layer.
            var printed = Regex.Matches(output.ToString(), @"Layer \d+\tmean \S+\tstd (\S+)").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            var drawn = XDocument.Load(Path.Combine(directory, "layer-std.svg")).Descendants().Where(e => (string?)e.Attribute("class") == "mark point")
                .Select(e => double.Parse((string)e.Attribute("data-y")!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(printed, drawn, (a, b) => Math.Abs(a - b) < 1e-6);
            Assert.Equal(20 * 10, XDocument.Load(Path.Combine(directory, "layer-1-histogram.svg")).Descendants()
                .Where(e => (string?)e.Attribute("class") == "mark bin").Sum(e => double.Parse((string)e.Attribute("data-y")!, System.Globalization.CultureInfo.InvariantCulture)));
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
        Assert.Equal(1, CommandLine.Run(["lab", "lr-finder", "--optimizer", "adamax"], new StringWriter(), error));
        Assert.Contains("optimizer.name: unknown optimizer 'adamax'; did you mean 'adam'", error.ToString());
    }

    [Fact]
    public void LearningRateFinderRunsOnAnExperimentsOwnModelAndOptimizer()
    {
        string directory = Directory.CreateTempSubdirectory("sparta-lr-finder-").FullName;
        try
        {
            string file = Path.Combine(directory, "digits.yaml");
            File.WriteAllText(file, """
                seed: 2
                batch_size: 16
                data: {dataset: digits, preprocessing: [{name: min_max, scope: all}]}
                model: {layers: [flatten, {name: dense, units: 32, activation: relu}, {name: dense, units: 10}], lsuv: true}
                loss: sparse_categorical_crossentropy
                optimizer: {name: adam, learning_rate: 0.001, beta_1: 0.8}
                """);
            var (output, error) = (new StringWriter(), new StringWriter());
            Assert.True(CommandLine.Run(["lab", "lr-finder", file, "--start", "1e-5", "--end", "1"], output, error) == 0, error.ToString());

            // The command prints what the library's range test finds on the same experiment.
            var spec = Sparta.Experiments.Experiment.Load(file).Spec();
            var result = Sparta.Experiments.ExperimentLearningRateFinder.Run(spec, directory, 1e-5, 1);
            Assert.Equal(1797 / 16 + 1, result.Rates.Count);
            Assert.Equal(1e-5, result.Rates[0], 12);
            Assert.Equal(1, result.Rates[^1], 9);
            Assert.Contains(FormattableString.Invariant($"suggested: steepest descent at lr {result.SteepestRate:G3}; minimum at {result.MinimumRate:G3}"), output.ToString());

            Assert.Equal(2, CommandLine.Run(["lab", "lr-finder", file, "--dataset", "digits"], new StringWriter(), error));
            Assert.Contains("with " + file + ", use --set data.dataset=digits", error.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
