using System.CommandLine;
using System.Globalization;
using Sparta.Experiments;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta lab learning-rate EXP.yaml [--rates R1,R2,...] [--epochs N]</c>: the slides' learning-rate
/// experiment, run and judged by <see cref="ExperimentLearningRateLab"/>; the default rates are its
/// <see cref="ExperimentLearningRateLab.DefaultFactors"/> times the experiment's rate.
/// </summary>
public sealed class LabLearningRateCommand : SpartaCommand
{
    private readonly Argument<string> _file = new("EXP.yaml") { Description = "the experiment file" };
    private readonly ExperimentOptions _experiment;
    private readonly Option<string?> _rates = OptionFactory.OptionalText("--rates",
        $"the rates to compare, separated by commas (default: {ExperimentLearningRateLab.DefaultsText}, r the file's rate)", "R1,R2,...");
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public LabLearningRateCommand() : base("learning-rate", "Train an experiment with a learning rate too small, too large and about right, and compare them (slides 002).",
        "sparta lab learning-rate examples/fashion-mnist-mlp.yaml --epochs 3",
        "sparta lab learning-rate examples/fashion-mnist-mlp.yaml --rates 1e-5,1,1e-2 --set data.train_samples=5000")
    {
        Add(_file);
        _experiment = new ExperimentOptions(this);
        Add(_rates);
        Add(_threads);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        var experiment = _experiment.Load(parse, parse.GetValue(_file)!);
        string? rateList = parse.GetValue(_rates);
        Parallelism.ThreadCount = parse.GetValue(_threads);
        var rates = rateList is null ? ExperimentLearningRateLab.DefaultRates(experiment.Spec()) : ParseRates(rateList);
        ExperimentLearningRateLab.Summarize(ExperimentLearningRateLab.Run(experiment, rates, output), output);
        return 0;
    }

    private static double[] ParseRates(string text)
    {
        var rates = text.Split(',', StringSplitOptions.TrimEntries).Select(t =>
            double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) && r > 0 && double.IsFinite(r) ? r
                : throw new UsageException($"option --rates: expected positive numbers separated by commas, got '{text}'")).ToArray();
        return rates.Length > 0 ? rates : throw new UsageException($"option --rates: no rate in '{text}'");
    }
}
