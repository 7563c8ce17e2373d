using System.CommandLine;
using System.Globalization;
using Sparta.Charts;
using Sparta.Diagnostics;
using Sparta.Experiments;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta lab lr-finder [EXP.yaml]</c>: the learning-rate range test of <see cref="ExperimentLearningRateFinder"/>
/// on an experiment's own model, loss, optimizer, batch size and data; without a file, on
/// <see cref="ExperimentLearningRateFinder.DefaultExperiment"/> (the slides' MLP on Fashion-MNIST).
/// </summary>
public sealed class LabLearningRateFinderCommand : SpartaCommand
{
    private readonly Argument<string?> _file = new("EXP.yaml") { Description = "the experiment whose model and optimizer are tested (default: the slides' MLP on Fashion-MNIST)", Arity = ArgumentArity.ZeroOrOne };
    private readonly ExperimentOptions _experiment;
    private readonly Option<string?> _dataset = OptionFactory.OptionalText("--dataset", "without EXP.yaml: a registered image dataset of 10 classes (default fashion-mnist)", "NAME");
    private readonly Option<string?> _optimizer = OptionFactory.OptionalText("--optimizer", "without EXP.yaml: the optimizer whose rate is searched, e.g. sgd (default), momentum or adam", "NAME");
    private readonly Option<int?> _batch = OptionFactory.OptionalInt("--batch", "batch size (replaces the experiment's batch_size)", 1, 1 << 20);
    private readonly Option<double> _start = OptionFactory.Double("--start", "the first learning rate", 1e-6);
    private readonly Option<double> _end = OptionFactory.Double("--end", "the last learning rate", 10);
    private readonly Option<string?> _svg = OptionFactory.OptionalText("--svg", "write the smoothed loss against the rate as SVG", "FILE.svg");
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public LabLearningRateFinderCommand() : base("lr-finder", "The learning-rate range test: the loss as the rate grows exponentially, and the suggested rate.",
        "sparta lab lr-finder examples/fashion-mnist-mlp.yaml --set data.train_samples=10000",
        "sparta lab lr-finder --optimizer adam --svg charts/lr.svg")
    {
        Add(_file);
        _experiment = new ExperimentOptions(this, epochs: false, seed: true);
        foreach (var option in new Option[] { _dataset, _optimizer, _batch, _start, _end, _svg, _threads }) Add(option);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string? file = parse.GetValue(_file);
        string? svg = parse.GetValue(_svg);
        Parallelism.ThreadCount = parse.GetValue(_threads);
        var overrides = new List<KeyValuePair<string, string>>();
        if (parse.GetValue(_batch) is int batch) overrides.Add(new("batch_size", batch.ToString(CultureInfo.InvariantCulture)));
        var builtIn = new (Option<string?> Option, string Key)[] { (_dataset, "data.dataset"), (_optimizer, "optimizer") };
        foreach (var (option, key) in builtIn)
        {
            if (parse.GetValue(option) is not { } value) continue;
            if (file is not null) throw new UsageException($"option {option.Name} sets the built-in experiment; with {file}, use --set {key}={value}");
            overrides.Add(new(key, value));
        }
        var experiment = file is null
            ? _experiment.Parse(parse, ExperimentLearningRateFinder.DefaultExperiment, "lr-finder.yaml", overrides)
            : _experiment.Load(parse, file, overrides);
        var spec = experiment.Spec();
        var result = ExperimentLearningRateFinder.Run(spec, experiment.Directory, parse.GetValue(_start), parse.GetValue(_end));

        int every = Math.Max(1, result.Rates.Count / 25);
        for (int i = 0; i < result.Rates.Count; i += every)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lr {result.Rates[i],-10:G3} loss {result.SmoothedLosses[i]:F4}"));
        output.WriteLine(result.Exploded
            ? string.Create(CultureInfo.InvariantCulture, $"stopped at lr {result.Rates[^1]:G3}: the smoothed loss exploded ({result.SmoothedLosses[^1]:G4})")
            : string.Create(CultureInfo.InvariantCulture, $"reached lr {result.Rates[^1]:G3} without exploding"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"suggested: steepest descent at lr {result.SteepestRate:G3}; minimum at {result.MinimumRate:G3}, /10 = {result.MinimumOverTen:G3}"));
        if (svg is not null)
        {
            var chart = new XYChart($"LR range test ({spec.Optimizer.Name}, {spec.Name})", "learning rate", "smoothed loss")
            {
                XScale = AxisScale.Log,
                // The explosion at the end would flatten the interesting part: show up to 1.2 times the starting loss.
                YRange = (0, 1.2 * result.SmoothedLosses.Where(double.IsFinite).First()),
            };
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(svg))!);
            chart.Line("smoothed loss", result.Rates.Zip(result.SmoothedLosses)).Save(svg);
            output.WriteLine($"chart: {Path.GetFullPath(svg)}");
        }
        return 0;
    }
}
