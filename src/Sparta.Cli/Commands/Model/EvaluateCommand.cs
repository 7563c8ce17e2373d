using System.CommandLine;
using Sparta.Configuration;
using Sparta.Experiments;
using Sparta.Metrics;
using Sparta.Serialization;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta evaluate MODEL [--inputs SPEC... --targets SPEC|OUTPUT=SPEC...]</c>: the saved model's loss and metrics,
/// printed as training's result line prints them; without data, on its experiment's test set.
/// </summary>
public sealed class EvaluateCommand : SpartaCommand
{
    private readonly Argument<string> _model = ModelOptions.Model();
    private readonly Option<string[]> _inputs = ModelOptions.Inputs("the samples to score");
    private readonly Option<string[]> _targets = new("--targets")
    {
        Description = "their targets (class labels or values): a SPEC as for --inputs; a model with several outputs takes one OUTPUT=SPEC per output; not needed by a model trained with data.inputs_as_targets",
        HelpName = "SPEC|OUTPUT=SPEC",
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = _ => [],
    };
    private readonly Option<string?> _loss = OptionFactory.OptionalText("--loss", "the loss to score with, instead of the one the model was trained with (a model from another program, an ONNX file, records none: a softmax output is scored by cross-entropy)", "NAME");
    private readonly Option<string?> _metrics = OptionFactory.OptionalText("--metrics", "the metrics, comma-separated, instead of the recorded ones (default with --loss: accuracy for a cross-entropy)", "M,M");
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public EvaluateCommand() : base("evaluate", "Score a saved model: the result line of its test set (the one it was trained with unless --inputs and --targets are given).",
        "sparta evaluate runs/fashion-mnist-mlp-seed42/model.sparta",
        "sparta evaluate model.sparta --inputs fashion-mnist:test --targets fashion-mnist:test",
        "sparta evaluate classifier.onnx --inputs fashion-mnist:test --targets fashion-mnist:test --loss sparse_categorical_crossentropy")
    {
        Add(_model);
        Add(_inputs);
        Add(_targets);
        Add(_loss);
        Add(_metrics);
        Add(_threads);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        var inputs = parse.GetValue(_inputs)!;
        var (targets, outputTargets) = Targets(parse.GetValue(_targets)!);
        if (inputs.Length == 0 && (targets is not null || outputTargets is not null))
            throw new UsageException("--targets: give the --inputs they belong to, or neither (the test set of the model's experiment)");
        Parallelism.ThreadCount = parse.GetValue(_threads);
        var saved = ModelLoader.Load(ModelOptions.Path(parse.GetValue(_model)!));
        var loss = parse.GetValue(_loss) is { } name ? Objective("--loss", () => OutputObjective.Loss(name, saved.Model)) : null;
        var metrics = parse.GetValue(_metrics) is { } list ? Objective("--metrics", () => Metrics(list)) : null;
        var scores = inputs.Length == 0 ? ModelEvaluation.Evaluate(saved, loss: loss, metrics: metrics)
            : ModelEvaluation.Evaluate(saved, ModelOptions.Read(inputs, saved), targets is null ? null : ArraySource.Targets(targets, saved, null), loss, metrics,
                outputTargets?.ToDictionary(t => t.Key, t => ArraySource.Targets(t.Value, saved, t.Key), StringComparer.Ordinal));
        output.WriteLine(RunDirectory.TestResultLine(scores));
        return 0;
    }

    /// <summary>One SPEC, or one OUTPUT=SPEC per output of a model with several; null where none is given.</summary>
    private static (string? Targets, Dictionary<string, string>? PerOutput) Targets(string[] arguments)
    {
        if (arguments.Length == 0) return (null, null);
        var named = arguments.Select(ArraySource.Named).ToArray();
        if (named is [{ Name: "" } one]) return (one.Spec, null);
        var perOutput = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, spec) in named)
        {
            if (name.Length == 0) throw new UsageException($"--targets: give one SPEC, or one OUTPUT=SPEC per output; got '{spec}' among several");
            if (!perOutput.TryAdd(name, spec)) throw new UsageException($"--targets: output '{name}' is given twice");
        }
        return (null, perOutput);
    }

    /// <summary>Metric configs by name, each checked against the registry.</summary>
    private static IReadOnlyList<ComponentConfig> Metrics(string list)
    {
        var configs = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => new ComponentConfig(n)).ToArray();
        foreach (var config in configs) MetricRegistry.Create(config);
        return configs;
    }

    /// <summary>A name the registry refuses is the user's error on that option.</summary>
    private static T Objective<T>(string option, Func<T> read)
    {
        try { return read(); }
        catch (ArgumentException e) { throw new UsageException($"option {option}: {e.Message}"); }
    }
}
