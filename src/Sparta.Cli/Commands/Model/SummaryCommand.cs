using System.CommandLine;
using Sparta.Experiments;
using Sparta.Serialization;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta summary MODEL|EXP.yaml</c>: the layers (name, type, output shape, parameters, trainable
/// or frozen), ending with <c>params total=T trainable=A frozen=F</c>; an experiment file's model is
/// built untrained, as Keras' <c>model.summary()</c> before <c>fit</c>.
/// </summary>
public sealed class SummaryCommand : SpartaCommand
{
    private readonly Argument<string> _file = new("MODEL|EXP.yaml") { Description = "a model file, a run directory, or an experiment file (.yaml)" };
    private readonly ExperimentOptions _experiment;

    public SummaryCommand() : base("summary", "Print a model's layers and parameter counts: a saved model's, or an experiment file's before training.",
        "sparta summary runs/fashion-mnist-mlp-seed42/model.sparta",
        "sparta summary examples/fashion-mnist-cnn.yaml --set model.layers.0.filters=64")
    {
        Add(_file);
        _experiment = new ExperimentOptions(this, epochs: false);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string file = parse.GetValue(_file)!;
        bool experimentFile = Path.GetExtension(file).ToLowerInvariant() is ".yaml" or ".yml";
        if (!experimentFile && parse.GetValue(_experiment.Set)!.Length > 0) throw new UsageException("--set changes an experiment file; a model file is summarized as saved");
        Models.Model model;
        if (experimentFile)
        {
            var experiment = _experiment.Load(parse, file);
            model = ExperimentModel.Untrained(experiment.Spec(), experiment.Directory);
        }
        else model = ModelLoader.Load(ModelOptions.Path(file)).Model;
        output.Write(model.Summary());
        return 0;
    }
}
