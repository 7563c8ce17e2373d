using System.CommandLine;
using System.Globalization;
using Sparta.Configuration;
using Sparta.Data;
using Sparta.Diagnostics;
using Sparta.Experiments;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta lab transfer</c>: the slides' transfer-learning table on Fashion-MNIST (<see cref="TransferLab"/>):
/// a base (an MLP, or a zoo classifier with <c>--base</c>) trained on five classes, moved to the other
/// five with little and much data, head only, some layers, all layers or from scratch; prints the test
/// accuracies and draws them.
/// </summary>
public sealed class LabTransferCommand : SpartaCommand
{
    private readonly Option<string?> _base = OptionFactory.OptionalText("--base",
        $"the network: {string.Join(", ", TransferLabBase.Names)}, or a zoo classifier with its options as in an experiment file '{{name: resnet18, resize: 32}}' (default: mlp)", "BASE");
    private readonly Option<string> _dataset = OptionFactory.Text("--dataset", "the data set: its first half of classes trains the base, the second half is the new task", "fashion-mnist", "NAME");
    private readonly Option<int> _baseEpochs = OptionFactory.Int("--base-epochs", "epochs of the base", 5, 1, 10_000);
    private readonly Option<int> _epochs = OptionFactory.Int("--epochs", "epochs of each transfer with much data", 5, 1, 10_000);
    private readonly Option<int> _littleEpochs = OptionFactory.Int("--little-epochs", "epochs of each transfer with little data", 40, 1, 100_000);
    private readonly Option<int> _little = OptionFactory.Int("--little", "training samples per new class with little data", 10, 1, 1_000_000);
    private readonly Option<int?> _much = OptionFactory.OptionalInt("--much", "training samples per new class with much data (default: all)", 1, 1_000_000);
    private readonly Option<int?> _basePerClass = OptionFactory.OptionalInt("--base-samples", "training samples per base class (default: all)", 1, 1_000_000);
    private readonly Option<int?> _testSamples = OptionFactory.OptionalInt("--test-samples", "test samples scored per task (default: all)", 1, 1_000_000);
    private readonly Option<int?> _seed = CommonOptions.Seed();
    private readonly Option<string?> _svg = OptionFactory.OptionalText("--svg", "draw the test accuracies as a bar chart", "FILE.svg");
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public LabTransferCommand() : base("transfer", "Transfer learning on real data: head only, some layers, all layers or from scratch, with little and much data.",
        "sparta lab transfer --svg charts/transfer.svg",
        "sparta lab transfer --base-epochs 1 --epochs 1 --much 100 --test-samples 500",
        "sparta lab transfer --base lenet5 --base-samples 2000 --much 1000 --test-samples 1000",
        "sparta lab transfer --base resnet18 --base-samples 200 --much 100 --test-samples 1000")
    {
        foreach (var option in new Option[] { _base, _dataset, _baseEpochs, _epochs, _littleEpochs, _little, _much, _basePerClass, _testSamples, _seed, _svg, _threads }) Add(option);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string dataset = parse.GetValue(_dataset)!;
        var settings = new TransferLab.Settings(parse.GetValue(_baseEpochs), parse.GetValue(_epochs), parse.GetValue(_littleEpochs), parse.GetValue(_little),
            parse.GetValue(_much), parse.GetValue(_basePerClass), parse.GetValue(_testSamples), Seed: (ulong)(parse.GetValue(_seed) ?? 0),
            Base: Base(parse.GetValue(_base)));
        Parallelism.ThreadCount = parse.GetValue(_threads);
        var outcome = TransferLab.Run(DatasetRegistry.Load(dataset, "train"), DatasetRegistry.Load(dataset, "test"), settings, output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"transfer on {dataset}: base classes {string.Join(",", outcome.BaseClasses)} (test accuracy {outcome.BaseAccuracy:F4}), new classes {string.Join(",", outcome.NewClasses)}; test accuracy on the new classes:"));
        output.Write(outcome.Table());
        if (parse.GetValue(_svg) is { } svg)
        {
            outcome.Chart().Save(svg);
            output.WriteLine($"chart: {svg}");
        }
        return 0;
    }

    /// <summary>The <c>--base</c> option's network, checked before any data is read (null: the default MLP).</summary>
    private static TransferLabBase? Base(string? text)
    {
        if (text is null) return null;
        ComponentConfig config;
        try { config = ComponentConfig.FromYaml(text, "option --base"); }
        catch (ExperimentException e) { throw new UsageException(e.Message); }
        TransferLabBase network = null!;
        ConfigProblems.Check(() => network = TransferLabBase.FromConfig(config), (key, problem, _) =>
            new UsageException($"option --base: {(key is "" or "name" ? "" : key + ": ")}{problem}"));
        return network;
    }
}
