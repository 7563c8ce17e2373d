using System.CommandLine;
using System.Globalization;
using Sparta.Charts;
using Sparta.Data;
using Sparta.Diagnostics;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Schedules;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta lab lr-finder</c>: the learning-rate range test of <see cref="LearningRateFinder"/> on a
/// registered image set (Fashion-MNIST by default) with the slides' MLP (784-100-10, ReLU), pixels scaled to [0, 1].
/// </summary>
public sealed class LabLearningRateFinderCommand : SpartaCommand
{
    private readonly Option<string> _dataset = OptionFactory.Text("--dataset", "a registered image dataset", "fashion-mnist", "NAME");
    private readonly Option<string> _optimizer = OptionFactory.Choice("--optimizer", "the optimizer whose rate is searched", "sgd", "sgd", "momentum", "adam");
    private readonly Option<int> _batch = OptionFactory.Int("--batch", "batch size", 128, 1, 1 << 20);
    private readonly Option<double> _start = OptionFactory.Double("--start", "the first learning rate", 1e-6);
    private readonly Option<double> _end = OptionFactory.Double("--end", "the last learning rate", 10);
    private readonly Option<int?> _seed = CommonOptions.Seed();
    private readonly Option<string?> _svg = OptionFactory.OptionalText("--svg", "write the smoothed loss against the rate as SVG", "FILE.svg");
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public LabLearningRateFinderCommand() : base("lr-finder", "The learning-rate range test: the loss as the rate grows exponentially, and the suggested rate.",
        "sparta lab lr-finder --optimizer adam --svg charts/lr.svg")
    {
        foreach (var option in new Option[] { _dataset, _optimizer, _batch, _start, _end, _seed, _svg, _threads }) Add(option);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string dataset = parse.GetValue(_dataset)!, optimizerName = parse.GetValue(_optimizer)!;
        int batchSize = parse.GetValue(_batch);
        double start = parse.GetValue(_start), end = parse.GetValue(_end);
        ulong seed = (ulong)(parse.GetValue(_seed) ?? 0);
        string? svg = parse.GetValue(_svg);
        Parallelism.ThreadCount = parse.GetValue(_threads);
        Func<LearningRateSchedule, Optimizer> optimizer = optimizerName switch
        {
            "sgd" => rate => new Sgd(rate),
            "momentum" => rate => new Sgd(rate, momentum: 0.9),
            "adam" => rate => new Adam(rate),
            _ => throw new System.Diagnostics.UnreachableException($"option --optimizer: '{optimizerName}' passed the parser"),
        };

        var train = DatasetRegistry.Load(dataset);
        var pixels = train.Inputs[0].Data.Span;
        for (int i = 0; i < pixels.Length; i++) pixels[i] /= 255f;
        var shape = train.Inputs[0].Data.Shape;
        var model = new Sequential([shape[1], shape[2], shape[3]], [new Flatten(), new Dense(100, "relu"), new Dense(train.ClassCount)], "mlp", seed);
        var result = LearningRateFinder.Run(model, LossRegistry.Create("sparse_categorical_crossentropy"), optimizer, train, batchSize, start, end, seed: seed);

        int every = Math.Max(1, result.Rates.Count / 25);
        for (int i = 0; i < result.Rates.Count; i += every)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lr {result.Rates[i],-10:G3} loss {result.SmoothedLosses[i]:F4}"));
        output.WriteLine(result.Exploded
            ? string.Create(CultureInfo.InvariantCulture, $"stopped at lr {result.Rates[^1]:G3}: the smoothed loss exploded ({result.SmoothedLosses[^1]:G4})")
            : string.Create(CultureInfo.InvariantCulture, $"reached lr {result.Rates[^1]:G3} without exploding"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"suggested: steepest descent at lr {result.SteepestRate:G3}; minimum at {result.MinimumRate:G3}, /10 = {result.MinimumOverTen:G3}"));
        if (svg is not null)
        {
            var chart = new XYChart($"LR range test ({optimizerName}, {dataset})", "learning rate", "smoothed loss")
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
