using Sparta.Data.Loaders;
using Sparta.Experiments;
using Sparta.Onnx;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Lifecycle;

namespace Sparta.Tests.Onnx;

/// <summary>A .onnx file is a model wherever a model file is accepted: the loader, predictions on raw samples, and <c>model.from</c>.</summary>
public class OnnxModelFileTests
{
    /// <summary>The lifecycle's small trained model (standardized inputs, batch norm, dropout), and the same exported to ONNX with its preprocessing.</summary>
    private static (string Sparta, string Onnx) TrainedBase(TempDirectory directory)
    {
        LifecycleFiles.TrainInto(directory.File("base"), LifecycleFiles.Write(directory.Path));
        string sparta = directory.File("base/model.sparta"), onnx = directory.File("base/model.onnx");
        var saved = ModelLoader.Load(sparta);
        OnnxExport.Save(saved.Model, onnx, saved.Preprocessing);
        return (sparta, onnx);
    }

    [Fact]
    public void TheLoaderOpensAnOnnxFileAndItPredictsWhatTheSpartaFileDoesOnRawSamples()
    {
        using var directory = new TempDirectory();
        var (sparta, onnx) = TrainedBase(directory);
        var raw = new Dictionary<string, Tensor> { [""] = NpyFile.Read(directory.File("x_test.npy")) };
        var expected = ModelPrediction.Predict(ModelLoader.Load(sparta), raw);
        var imported = ModelLoader.Load(onnx);
        Assert.Empty(imported.Preprocessing); // the graph standardizes its raw input itself
        OnnxRuntimeOracle.AssertClose(expected, ModelPrediction.Predict(imported, raw), "predictions");
    }

    [Fact]
    public void AnExperimentStartsFromAnOnnxFileCutFrozenWithANewHead()
    {
        using var directory = new TempDirectory();
        var (_, onnx) = TrainedBase(directory);
        var before = ModelLoader.Load(onnx).Model.GetWeights();
        string path = directory.File("head.yaml");
        File.WriteAllText(path, LifecycleFiles.Head("base/model.onnx", cutAfter: "features"));
        var result = LifecycleFiles.Train(Experiment.Load(path));
        var model = result.Trainer.Model;
        var after = model.GetWeights();
        // The imported nodes up to 'features' are kept and frozen; the base's output layer is cut.
        Assert.Equal("features", model.Layers[^2].Name);
        Assert.DoesNotContain(model.Layers, l => l.Name == "out_affine");
        var kept = before.Keys.Where(after.ContainsKey).ToArray();
        Assert.Contains("hidden_affine/hidden_kernel", kept);
        foreach (string name in kept) Assert.True(before[name].Span.SequenceEqual(after[name].Span), $"frozen weight '{name}' moved");
        Assert.Equal((6 + 1) * 3, model.TrainableParameterCount);
        Assert.True(result.TestScores["accuracy"] > 0.8, $"accuracy {result.TestScores["accuracy"]} on separable blobs");
    }

    [Fact]
    public void ABrokenOnnxFileIsAModelFileErrorNamingIt()
    {
        using var directory = new TempDirectory();
        string path = directory.File("broken.onnx");
        File.WriteAllBytes(path, [0x0a, 0xff, 0xff]);
        var error = Assert.Throws<ModelFileException>(() => ModelLoader.Load(path));
        Assert.StartsWith($"model file '{path}': is not an ONNX model", error.Message);
    }
}
