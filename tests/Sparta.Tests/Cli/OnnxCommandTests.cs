using Sparta.Cli;
using Sparta.Data.Preprocessing;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Onnx;

namespace Sparta.Tests.Cli;

/// <summary><c>sparta export</c> and <c>sparta bench predict</c> from the command line.</summary>
public sealed class OnnxCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static (int Code, string Output, string Error) Sparta(params string[] words)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Run(words, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A small saved model with fitted standardization, and raw samples for it.</summary>
    private (string Path, Model Model, PreprocessingPipeline Pipeline, Tensor Raw) SavedModel()
    {
        var raw = Tensor.Zeros(16, 4);
        new RandomGenerator(1).FillUniform(raw.Span, 0, 10);
        var pipeline = PreprocessingPipeline.FromConfig([new PreprocessorConfig("standardize")]);
        pipeline.Fit(raw);
        var input = Model.Input([4], "features");
        var model = new Model(input, new Dense(3, "softmax").Call(new Dense(5, "relu").Call(input)), "small", seed: 2);
        string path = _directory.File("small.sparta");
        ModelFile.Save(path, model, new Dictionary<string, PreprocessingPipeline> { ["features"] = pipeline });
        return (path, model, pipeline, raw);
    }

    [Fact]
    public void ExportWritesTheModelWithItsPreprocessingAndOnnxRuntimeAgrees()
    {
        var (path, model, pipeline, raw) = SavedModel();
        string onnx = _directory.File("small.onnx");
        var (code, output, error) = Sparta("export", path, "--onnx", onnx, "--opset", "15");
        Assert.True(code == 0, error);
        Assert.Contains("wrote", output);
        OnnxChecker.AssertValid(onnx);
        var actual = OnnxRuntimeOracle.Run(onnx, new Dictionary<string, Tensor> { ["features"] = raw });
        OnnxRuntimeOracle.AssertClose(model.Forward(pipeline.Transform(raw)), actual, "export");
    }

    [Theory]
    [InlineData(new[] { "--opset", "9" }, 2, "--opset")]
    [InlineData(new string[0], 2, "--onnx")]
    public void ExportRefusesBadArgumentsInOneLine(string[] extra, int expectedCode, string named)
    {
        var (path, _, _, _) = SavedModel();
        string[] words = extra.Length == 0 ? ["export", path] : ["export", path, "--onnx", _directory.File("x.onnx"), .. extra];
        var (code, _, error) = Sparta(words);
        Assert.Equal(expectedCode, code);
        Assert.Contains(named, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(_directory.File("x.onnx")));
    }

    [Fact]
    public void AMissingModelFileIsNamed()
    {
        string missing = _directory.File("none.sparta");
        var (code, _, error) = Sparta("export", missing, "--onnx", _directory.File("x.onnx"));
        Assert.Equal(1, code);
        Assert.Contains(missing, error);
    }

    [Fact]
    public void BenchPredictPrintsALinePerBatchSize()
    {
        var (path, _, _, _) = SavedModel();
        var (code, output, error) = Sparta("bench", "predict", path, "--no-peer", "--batches", "1,8", "--rounds", "1", "--seconds", "0.05");
        Assert.True(code == 0, error);
        var lines = output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("predict model=small batch=1 threads=1 sparta_ms=", lines[0]);
        Assert.StartsWith("predict model=small batch=8 threads=1 sparta_ms=", lines[1]);
    }
}
