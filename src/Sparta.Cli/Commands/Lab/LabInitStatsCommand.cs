using System.CommandLine;
using System.Globalization;
using Sparta.Charts;
using Sparta.Diagnostics;

namespace Sparta.Cli.Commands;

/// <summary><c>sparta lab init-stats</c>: the forward-pass statistics per layer of <see cref="InitStatsLab"/>.</summary>
public sealed class LabInitStatsCommand : SpartaCommand
{
    private readonly Option<int> _layers = OptionFactory.Int("--layers", "hidden layers", 10, 1, 1000);
    private readonly Option<int> _units = OptionFactory.Int("--units", "units per layer", 500, 1, 100_000);
    private readonly Option<int> _samples = OptionFactory.Int("--samples", "random input samples", 10000, 1, 10_000_000);
    private readonly Option<string> _activation = OptionFactory.Text("--activation", "the layers' activation (tanh, relu, ...)", "tanh", "NAME");
    private readonly Option<string> _init = OptionFactory.Text("--init", "the weights' initializer: normal:STD, glorot or he", "normal:0.01", "INIT");
    private readonly Option<int?> _seed = CommonOptions.Seed();
    private readonly Option<string?> _svg = OptionFactory.OptionalText("--svg", "write the mean, std and histogram charts to this directory", "DIR");
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public LabInitStatsCommand() : base("init-stats", "The forward-pass mean and std of each layer of a deep network under an initializer (slides 002).",
        "sparta lab init-stats --activation tanh --init normal:0.01",
        "sparta lab init-stats --activation relu --init he --svg charts/")
    {
        foreach (var option in new Option[] { _layers, _units, _samples, _activation, _init, _seed, _svg, _threads }) Add(option);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        int layers = parse.GetValue(_layers), units = parse.GetValue(_units), samples = parse.GetValue(_samples);
        string activation = parse.GetValue(_activation)!, init = parse.GetValue(_init)!;
        ulong seed = (ulong)(parse.GetValue(_seed) ?? 0);
        string? svgDirectory = parse.GetValue(_svg);
        Parallelism.ThreadCount = parse.GetValue(_threads);
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
