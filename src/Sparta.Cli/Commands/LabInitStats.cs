using System.Globalization;
using Sparta.Charts;
using Sparta.Diagnostics;

namespace Sparta.Cli.Commands;

/// <summary><c>sparta lab init-stats</c>: the forward-pass statistics per layer of <see cref="InitStatsLab"/>.</summary>
internal static class LabInitStats
{
    public static int Run(Arguments args, TextWriter output)
    {
        int layers = args.Int("layers", 10, 1, 1000);
        int units = args.Int("units", 500, 1, 100_000);
        int samples = args.Int("samples", 10000, 1, 10_000_000);
        string activation = args.String("activation") ?? "tanh";
        string init = args.String("init") ?? "normal:0.01";
        ulong seed = (ulong)args.Int("seed", 0, 0);
        string? svgDirectory = args.String("svg");
        args.RejectUnknown("lab init-stats");
        var initializer = InitStatsLab.ParseInitializer(init);
        var result = InitStatsLab.Run(layers, units, samples, activation, initializer, seed);

        // The slides' printout (002, "Inicialización de los pesos"): layers numbered from 0, six decimals.
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data mean {result.Data.Mean:F6} std {result.Data.Std:F6}"));
        for (int i = 0; i < result.Layers.Count; i++)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Layer {i}\tmean {result.Layers[i].Mean:F6}\tstd {result.Layers[i].Std:F6}"));
        if (svgDirectory is not null) WriteCharts(result, svgDirectory, $"{activation}, {init}", output);
        return 0;
    }

    /// <summary>The slides' three figures: mean per layer, std per layer, and one histogram per layer over [-1, 1].</summary>
    private static void WriteCharts(InitStatsLab.Result result, string directory, string setting, TextWriter output)
    {
        Directory.CreateDirectory(directory);
        var means = result.Layers.Select((s, i) => ((double)i, s.Mean)).ToArray();
        var stds = result.Layers.Select((s, i) => ((double)i, s.Std)).ToArray();
        new XYChart($"Layer mean ({setting})", "layer", "mean").Line("mean", means).Save(Path.Combine(directory, "layer-mean.svg"));
        new XYChart($"Layer std ({setting})", "layer", "std").Line("std", stds).Save(Path.Combine(directory, "layer-std.svg"));
        for (int i = 0; i < result.Layers.Count; i++)
        {
            var histogram = result.Layers[i].Histogram;
            new XYChart($"Layer {i} ({setting})", "activation", "count").Histogram($"layer {i}", histogram.Low, histogram.High, histogram.Counts.Select(c => (double)c))
                .Save(Path.Combine(directory, $"layer-{i}-histogram.svg"));
        }
        output.WriteLine($"charts: {Path.GetFullPath(directory)}");
    }
}
