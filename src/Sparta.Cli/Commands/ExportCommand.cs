using System.CommandLine;
using Sparta.Onnx;
using Sparta.Serialization;

namespace Sparta.Cli.Commands;

/// <summary><c>sparta export MODEL.sparta --onnx OUT.onnx [--opset N]</c>: the model and its saved preprocessing as an ONNX file.</summary>
public sealed class ExportCommand : SpartaCommand
{
    private readonly Argument<string> _model = ModelOptions.Model();
    private readonly Option<string?> _onnx = OptionFactory.OptionalText("--onnx", "the ONNX file to write", "OUT.onnx");
    private readonly Option<int?> _opset = OptionFactory.OptionalInt("--opset", $"the ONNX opset, {OnnxExport.MinOpset} to {OnnxExport.MaxOpset} (default: {OnnxExport.DefaultOpset}, or an imported model's own)",
        OnnxExport.MinOpset, OnnxExport.MaxOpset);

    public ExportCommand() : base("export", "Write a model as an ONNX file, its saved preprocessing as the first nodes.",
        "sparta export runs/fashion-mnist-mlp-seed0 --onnx mlp.onnx",
        "sparta export model.sparta --onnx model.onnx --opset 17")
    {
        Add(_model);
        Add(_onnx);
        Add(_opset);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string target = parse.GetValue(_onnx) ?? throw new UsageException("option --onnx: expected the ONNX file to write");
        var file = ModelLoader.Load(ModelOptions.Path(parse.GetValue(_model)!));
        var inputs = OnnxExport.Save(file.Model, target, file.Preprocessing, parse.GetValue(_opset));
        output.WriteLine($"wrote {target}: model '{file.Model.Name}', inputs {string.Join(", ", inputs)}, batch dynamic");
        return 0;
    }
}
