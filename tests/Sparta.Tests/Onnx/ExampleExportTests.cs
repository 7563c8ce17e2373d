using Sparta.Data;
using Sparta.Data.Preprocessing;
using Sparta.Experiments;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Onnx;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;
using Sparta.Training;

namespace Sparta.Tests.Onnx;

/// <summary>
/// The examples' MLP and CNN, with their preprocessing fitted on real Fashion-MNIST images, exported
/// and run by ONNX Runtime on raw images: the outputs are Sparta's. onnx.checker accepts the files.
/// </summary>
public sealed class ExampleExportTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("fashion-mnist-mlp.yaml")]
    [InlineData("fashion-mnist-cnn.yaml")]
    public void ExampleModelWithItsPreprocessingGivesOnnxRuntimeSpartasOutputs(string example)
    {
        var spec = Experiment.Load(Path.Combine(RepositoryRoot.Path, "examples", example)).Spec();
        var images = DatasetRegistry.Load("fashion-mnist", "test").Input(DatasetRegistry.InputName);
        var raw = Tensor.FromArray(images.Span[..(500 * 784)], 500, 1, 28, 28);
        var pipeline = PreprocessingPipeline.FromConfig(spec.Data.Preprocessing);
        var transformed = pipeline.FitTransform(raw);
        var model = ExperimentModel.Build(spec.Model, spec.Seed, Dataset.Classification([(DatasetRegistry.InputName, transformed)], new int[500], 10));
        string path = _directory.File("example.onnx");
        model.ExportOnnx(path, new Dictionary<string, PreprocessingPipeline> { [DatasetRegistry.InputName] = pipeline });

        var batch = Tensor.FromArray(raw.Span[..(64 * 784)], 64, 1, 28, 28);
        var expected = Predictor.Predict(model, [pipeline.Transform(batch)]);
        var actual = OnnxRuntimeOracle.Run(path, new Dictionary<string, Tensor> { [DatasetRegistry.InputName] = batch });
        OnnxRuntimeOracle.AssertClose(expected, actual, example);
        OnnxChecker.AssertValid(path);
    }

    public static TheoryData<string> Steps => new() { "standardize", "center", "min_max", "sample_normalize", "pca", "zca" };

    /// <summary>Each preprocessing step, fitted, becomes the first nodes: ONNX Runtime on raw samples gives Sparta's output on transformed ones.</summary>
    [Theory, MemberData(nameof(Steps))]
    public void EachPreprocessingStepIsExportedAsTheFirstNodes(string step)
    {
        var random = new RandomGenerator(3);
        var raw = Tensor.Zeros(40, 2, 3, 2);
        random.FillUniform(raw.Span, -3, 5);
        var parameters = step is "standardize" or "min_max" ? new Dictionary<string, string> { ["scope"] = "channel" } : null;
        var pipeline = PreprocessingPipeline.FromConfig([new PreprocessorConfig(step, parameters)]);
        var transformed = pipeline.FitTransform(raw);
        var input = Model.Input(transformed.Shape.ToArray()[1..], "features");
        var model = new Model(input, new Dense(3, "tanh").Call(new Flatten().Call(input)), seed: 4);
        string path = _directory.File($"{step}.onnx");
        model.ExportOnnx(path, new Dictionary<string, PreprocessingPipeline> { ["features"] = pipeline });

        var expected = model.Forward(transformed);
        var actual = OnnxRuntimeOracle.Run(path, new Dictionary<string, Tensor> { ["features"] = raw });
        OnnxRuntimeOracle.AssertClose(expected, actual, step);
        OnnxChecker.AssertValid(path);
    }

    [Fact]
    public void AMultiInputModelKeepsItsInputNamesAndABatchOfAnySize()
    {
        var image = Model.Input([2, 6, 6], "image");
        var extra = Model.Input([3], "extra");
        var features = new GlobalAveragePooling2D().Call(new Conv2D(4, 3, "relu", padding: "same").Call(image));
        var joined = new Concatenate().Call(features, new Dense(4, "swish").Call(extra));
        var model = new Model([image, extra], new Dense(2, "softmax").Call(new BatchNormalization().Call(joined)), seed: 5);
        string path = _directory.File("two-inputs.onnx");
        model.ExportOnnx(path, opset: 17);
        OnnxChecker.AssertValid(path);
        foreach (int batch in new[] { 1, 7 })
        {
            var random = new RandomGenerator((ulong)batch);
            var x = Tensor.Zeros(batch, 2, 6, 6);
            var e = Tensor.Zeros(batch, 3);
            random.FillUniform(x.Span, -1, 1);
            random.FillUniform(e.Span, -1, 1);
            var expected = model.Forward(new Dictionary<string, Tensor> { ["image"] = x, ["extra"] = e });
            var actual = OnnxRuntimeOracle.Run(path, new Dictionary<string, Tensor> { ["image"] = x, ["extra"] = e });
            OnnxRuntimeOracle.AssertClose(expected, actual, $"batch {batch}");
        }
    }

    [Theory]
    [InlineData(12, "opset must be between 13 and 17, got 12")]
    [InlineData(18, "opset must be between 13 and 17, got 18")]
    public void AnOpsetOutsideTheWrittenRangeIsOneLineAndWritesNothing(int opset, string message)
    {
        var input = Model.Input([3]);
        var model = new Model(input, new Dense(2).Call(input));
        string path = _directory.File("bad.onnx");
        var error = Assert.Throws<OnnxException>(() => model.ExportOnnx(path, opset: opset));
        Assert.Contains(message, error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void PreprocessingForAnInputTheModelLacksIsNamed()
    {
        var input = Model.Input([3], "x");
        var model = new Model(input, new Dense(2).Call(input));
        var pipeline = PreprocessingPipeline.FromConfig([new PreprocessorConfig("standardize")]);
        pipeline.Fit(Tensor.Full(1f, 4, 3));
        var error = Assert.Throws<OnnxException>(() => model.ExportOnnx(_directory.File("x.onnx"), new Dictionary<string, PreprocessingPipeline> { ["y"] = pipeline }));
        Assert.Equal("onnx export: preprocessing for 'y', which is not an input of model 'model'", error.Message);
    }

    /// <summary>A layer of the user's own, which Sparta has no ONNX form of.</summary>
    private sealed class Passthrough(string name) : SingleInputLayer(name)
    {
        public override string TypeName => "passthrough";

        protected override Shape OutputShapeFor(Shape inputShape) => inputShape;

        protected override Tensor Forward(Tensor x, bool training) => x;

        protected override IEnumerable<(string Key, object Value)> ConfigParameters() => [];
    }

    [Fact]
    public void ALayerWithNoOnnxFormIsNamedAndTheFileIsLeftAsItWas()
    {
        var input = Model.Input([3], "x");
        var model = new Model(input, new Dense(2).Call(new Passthrough("mine").Call(input)));
        string path = _directory.File("kept.onnx");
        File.WriteAllText(path, "an earlier file");
        var error = Assert.Throws<OnnxException>(() => model.ExportOnnx(path));
        Assert.Equal("onnx export: layer 'mine' (passthrough) has no ONNX form", error.Message);
        Assert.Equal("an earlier file", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_directory.Path));
    }
}
