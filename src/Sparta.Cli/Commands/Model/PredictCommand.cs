using System.CommandLine;
using Sparta.Experiments;
using Sparta.Serialization;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta predict MODEL --inputs SPEC... --out FILE.csv|FILE.npy</c>: the saved model's outputs for
/// new samples, preprocessed as in training.
/// </summary>
public sealed class PredictCommand : SpartaCommand
{
    private readonly Argument<string> _model = ModelOptions.Model();
    private readonly Option<string[]> _inputs = ModelOptions.Inputs("the samples to predict");
    private readonly Option<string> _out = new("--out")
    {
        Description = "the predictions: .csv (one row per sample: the class and each class's probability, or the value) or .npy (the raw outputs)",
        HelpName = "FILE.csv|FILE.npy",
        Required = true,
    };
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public PredictCommand() : base("predict", "Predict with a saved model: its outputs for new samples, as CSV (class and probabilities) or NPY.",
        "sparta predict runs/fashion-mnist-mlp-seed42/model.sparta --inputs fashion-mnist:test --out predictions.csv",
        "sparta predict model.sparta --inputs image=x.npy --inputs age=age.npy --out outputs.npy")
    {
        Add(_model);
        Add(_inputs);
        Add(_out);
        Add(_threads);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        var inputs = parse.GetValue(_inputs)!;
        if (inputs.Length == 0) throw new UsageException("--inputs: give the samples to predict (SPEC, or NAME=SPEC per input)");
        string path = parse.GetValue(_out)!;
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".csv" or ".npy")) throw new UsageException($"--out: the file must end in .csv or .npy, got '{path}'");
        Parallelism.ThreadCount = parse.GetValue(_threads);
        var saved = ModelLoader.Load(ModelOptions.Path(parse.GetValue(_model)!));
        var outputs = ModelPrediction.PredictOutputs(saved, ModelOptions.Read(inputs, saved));
        ModelPrediction.Write(path, saved, outputs);
        var paths = ModelPrediction.OutputPaths(path, saved);
        for (int o = 0; o < outputs.Length; o++)
            output.WriteLine($"predictions {paths[o]} ({outputs[o].Shape[0]} samples, outputs {outputs[o].Shape})");
        return 0;
    }
}
