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
internal static class LabLearningRateFinder
{
    public static int Run(Arguments args, TextWriter output)
    {
        string dataset = args.String("dataset") ?? "fashion-mnist";
        string optimizerName = args.String("optimizer") ?? "sgd";
        int batchSize = args.Int("batch", 128, 1, 1 << 20);
        double start = args.Double("start", 1e-6), end = args.Double("end", 10);
        ulong seed = (ulong)args.Int("seed", 0, 0);
        string? svg = args.String("svg");
        args.RejectUnknown("lab lr-finder");
        Func<LearningRateSchedule, Optimizer> optimizer = optimizerName switch
        {
            "sgd" => rate => new Sgd(rate),
            "momentum" => rate => new Sgd(rate, momentum: 0.9),
            "adam" => rate => new Adam(rate),
            _ => throw new UsageException($"option --optimizer: expected sgd, momentum or adam, got '{optimizerName}'"),
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
            : $"reached lr {result.Rates[^1]:G3} without exploding");
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
