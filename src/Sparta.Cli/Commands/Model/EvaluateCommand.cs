using System.CommandLine;
using Sparta.Experiments;
using Sparta.Serialization;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta evaluate MODEL [--inputs SPEC... --targets SPEC]</c>: the saved model's loss and metrics,
/// printed as training's result line prints them; without data, on its experiment's test set.
/// </summary>
public sealed class EvaluateCommand : SpartaCommand
{
    private readonly Argument<string> _model = ModelOptions.Model();
    private readonly Option<string[]> _inputs = ModelOptions.Inputs("the samples to score");
    private readonly Option<string?> _targets = OptionFactory.OptionalText("--targets", "their targets (class labels or values): a SPEC as for --inputs; not needed by a model trained with data.inputs_as_targets", "SPEC");
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public EvaluateCommand() : base("evaluate", "Score a saved model: the result line of its test set (the one it was trained with unless --inputs and --targets are given).",
        "sparta evaluate runs/fashion-mnist-mlp-seed42/model.sparta",
        "sparta evaluate model.sparta --inputs fashion-mnist:test --targets fashion-mnist:test")
    {
        Add(_model);
        Add(_inputs);
        Add(_targets);
        Add(_threads);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        var inputs = parse.GetValue(_inputs)!;
        string? targets = parse.GetValue(_targets);
        if (inputs.Length == 0 && targets is not null)
            throw new UsageException("--targets: give the --inputs they belong to, or neither (the test set of the model's experiment)");
        Parallelism.ThreadCount = parse.GetValue(_threads);
        var saved = ModelLoader.Load(ModelOptions.Path(parse.GetValue(_model)!));
        var scores = inputs.Length == 0 ? ModelEvaluation.Evaluate(saved)
            : ModelEvaluation.Evaluate(saved, ModelOptions.Read(inputs, saved), targets is null ? null : ArraySource.Targets(targets));
        output.WriteLine(RunDirectory.TestResultLine(scores));
        return 0;
    }
}
