using System.CommandLine;
using System.Globalization;
using Sparta.Configuration;
using Sparta.Experiments;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Serialization;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta evaluate MODEL [--inputs SPEC... --targets SPEC|OUTPUT=SPEC...] [--loss LOSS|OUTPUT=LOSS...]</c>: the saved
/// model's loss and metrics, printed as training's result line prints them; without data, on its experiment's test set.
/// </summary>
public sealed class EvaluateCommand : SpartaCommand
{
    private readonly Argument<string> _model = ModelOptions.Model();
    private readonly Option<string[]> _inputs = ModelOptions.Inputs("the samples to score");
    private readonly Option<string[]> _targets = OptionFactory.Repeatable("--targets",
        "their targets (class labels or values): a SPEC as for --inputs; a model with several outputs takes one OUTPUT=SPEC per output; not needed by a model trained with data.inputs_as_targets",
        "SPEC|OUTPUT=SPEC");
    private readonly Option<string[]> _loss = OptionFactory.Repeatable("--loss",
        "the loss to score with, instead of the one the model was trained with (a model from another program, an ONNX file, records none: a softmax output is scored by cross-entropy); a model with several outputs takes one for every output, or OUTPUT=LOSS for one (a model with one takes either)",
        "LOSS|OUTPUT=LOSS");
    private readonly Option<string[]> _metrics = OptionFactory.Repeatable("--metrics",
        "the metrics, comma-separated, instead of the recorded ones (default with --loss: accuracy for a cross-entropy); a model with several outputs takes one list for every output, or OUTPUT=M,M for one",
        "M,M|OUTPUT=M,M");
    private readonly Option<string[]> _lossWeights = OptionFactory.Repeatable("--loss-weights",
        "a model with several outputs: an output's weight in the total loss, instead of the one it was trained with (1 for a model that records none)",
        "OUTPUT=WEIGHT");
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public EvaluateCommand() : base("evaluate", "Score a saved model: the result line of its test set (the one it was trained with unless --inputs and --targets are given).",
        "sparta evaluate runs/fashion-mnist-mlp-seed42/model.sparta",
        "sparta evaluate model.sparta --inputs fashion-mnist:test --targets fashion-mnist:test",
        "sparta evaluate classifier.onnx --inputs fashion-mnist:test --targets fashion-mnist:test --loss sparse_categorical_crossentropy",
        "sparta evaluate two-heads.onnx --inputs x.npy --targets class=labels.npy --targets box=boxes.npy --loss class=sparse_categorical_crossentropy --loss box=mse")
    {
        Add(_model);
        Add(_inputs);
        Add(_targets);
        Add(_loss);
        Add(_metrics);
        Add(_lossWeights);
        Add(_threads);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        var inputs = parse.GetValue(_inputs)!;
        var (targets, outputTargets) = PerOutput("--targets", "SPEC", parse.GetValue(_targets)!, ArraySource.Named);
        if (targets is not null && outputTargets.Count > 0)
            throw new UsageException($"--targets: give one SPEC, or one OUTPUT=SPEC per output; got '{targets}' among several");
        if (inputs.Length == 0 && (targets is not null || outputTargets.Count > 0))
            throw new UsageException("--targets: give the --inputs they belong to, or neither (the test set of the model's experiment)");
        var (loss, outputLosses) = PerOutput("--loss", "LOSS", parse.GetValue(_loss)!, OutputAndValue);
        var (metrics, outputMetrics) = PerOutput("--metrics", "M,M", parse.GetValue(_metrics)!, OutputAndValue);
        var (weight, weights) = PerOutput("--loss-weights", "WEIGHT", parse.GetValue(_lossWeights)!, OutputAndValue);
        if (weight is not null) throw new UsageException($"--loss-weights: give OUTPUT=WEIGHT, got '{weight}'");
        var scoring = new OutputScoring(
            outputLosses.ToDictionary(l => l.Key, l => Objective($"--loss {l.Key}={l.Value}", () => Loss(l.Value)), StringComparer.Ordinal),
            weights.ToDictionary(w => w.Key, w => Weight(w.Key, w.Value), StringComparer.Ordinal),
            outputMetrics.ToDictionary(m => m.Key, m => Objective($"--metrics {m.Key}={m.Value}", () => Metrics(m.Value)), StringComparer.Ordinal));
        var lossConfig = loss is null ? null : Objective("--loss", () => Loss(loss));
        var metricConfigs = metrics is null ? null : Objective("--metrics", () => Metrics(metrics));

        Parallelism.ThreadCount = parse.GetValue(_threads);
        var saved = ModelLoader.Load(ModelOptions.Path(parse.GetValue(_model)!));
        var scores = inputs.Length == 0 ? ModelEvaluation.Evaluate(saved, loss: lossConfig, metrics: metricConfigs, outputScoring: scoring)
            : ModelEvaluation.Evaluate(saved, ModelOptions.Read(inputs, saved), targets is null ? null : ArraySource.Targets(targets, saved, null), lossConfig, metricConfigs,
                outputTargets.Count == 0 ? null : outputTargets.ToDictionary(t => t.Key, t => ArraySource.Targets(t.Value, saved, t.Key), StringComparer.Ordinal),
                scoring);
        output.WriteLine(RunDirectory.TestResultLine(scores));
        return 0;
    }

    /// <summary>
    /// The values of an option given for every output (VALUE) or for one (OUTPUT=VALUE): the one for all, null when
    /// none, and those by output name. Two for all, or an output given twice, is one line naming the option.
    /// </summary>
    private static (string? All, Dictionary<string, string> PerOutput) PerOutput(string option, string what, string[] arguments,
        Func<string, (string Name, string Value)> split)
    {
        string? all = null;
        var perOutput = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments.Select(split))
        {
            if (name.Length > 0 && !perOutput.TryAdd(name, value)) throw new UsageException($"{option}: output '{name}' is given twice");
            if (name.Length > 0) continue;
            if (all is not null) throw new UsageException($"{option}: give one {what} for every output, or OUTPUT={what} per output; got '{all}' and '{value}'");
            all = value;
        }
        return (all, perOutput);
    }

    /// <summary><c>OUTPUT=VALUE</c> at the first '=' (a loss, metric or weight holds none; an output's name may hold '.' or '/'), else a VALUE for every output.</summary>
    private static (string Name, string Value) OutputAndValue(string argument)
    {
        int eq = argument.IndexOf('=');
        return eq > 0 ? (argument[..eq], argument[(eq + 1)..]) : ("", argument);
    }

    /// <summary>A loss config by name, checked against the registry.</summary>
    private static ComponentConfig Loss(string name)
    {
        var config = new ComponentConfig(name);
        LossRegistry.Create(config);
        return config;
    }

    /// <summary>Metric configs by name, each checked against the registry.</summary>
    private static IReadOnlyList<ComponentConfig> Metrics(string list)
    {
        var configs = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => new ComponentConfig(n)).ToArray();
        foreach (var config in configs) MetricRegistry.Create(config);
        return configs;
    }

    private static double Weight(string output, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double weight) && double.IsFinite(weight) && weight >= 0 ? weight
            : throw new UsageException($"--loss-weights: the weight of output '{output}' must be a finite number ≥ 0, got '{text}'");

    /// <summary>A name the registry refuses is the user's error on that option.</summary>
    private static T Objective<T>(string option, Func<T> read)
    {
        try { return read(); }
        catch (ArgumentException e) { throw new UsageException($"option {option}: {e.Message}"); }
    }
}
