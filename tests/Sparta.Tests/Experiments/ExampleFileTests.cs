using Sparta.Data;
using Sparta.Experiments;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Tests.Experiments;

public class ExampleFileTests
{
    private static string Examples => Path.Combine(RepositoryRoot.Path, "examples");

    /// <summary>A dataset with the image input's name and Fashion-MNIST's sample shape, to build models without loading data.</summary>
    private static Dataset ImageShaped() =>
        Dataset.Classification([(DatasetRegistry.InputName, Tensor.Zeros(2, 1, 28, 28))], [0, 1], 10);

    [Fact]
    public void MlpExampleBuildsTheGuideModelWithTheHandCountedParameters()
    {
        var spec = Experiment.Load(Path.Combine(Examples, "fashion-mnist-mlp.yaml")).Spec();
        var model = ExperimentModel.Build(spec.Model, spec.Seed, ImageShaped());
        Assert.Equal(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, model.TrainableParameterCount);
        Assert.Contains($"Total params: {235_146:N0}", model.Summary());
        Assert.Equal((128, 0.001, "adam"), (spec.BatchSize, (double)spec.Optimizer.Parameters["learning_rate"], spec.Optimizer.Name));
    }

    [Fact]
    public void CnnExampleBuildsTheGuideModelWithTheHandCountedParameters()
    {
        var spec = Experiment.Load(Path.Combine(Examples, "fashion-mnist-cnn.yaml")).Spec();
        var model = ExperimentModel.Build(spec.Model, spec.Seed, ImageShaped());
        long conv1 = 32 * 1 * 3 * 3 + 32, conv2 = 64 * 32 * 3 * 3 + 64;
        long dense1 = 64 * 7 * 7 * 128 + 128, dense2 = 128 * 10 + 10; // two 2x2 pools: 28 -> 14 -> 7
        Assert.Equal(conv1 + conv2 + dense1 + dense2, model.TrainableParameterCount);
        Assert.Equal(new[] { 10 }, model.OutputShape.ToArray());
    }

    [Fact]
    public void AutoencoderExampleOutputsTheImagesShape()
    {
        var spec = Experiment.Load(Path.Combine(Examples, "fashion-mnist-autoencoder.yaml")).Spec();
        var model = ExperimentModel.Build(spec.Model, spec.Seed, ImageShaped());
        Assert.True(spec.Data.InputsAsTargets);
        Assert.Equal(new[] { 1, 28, 28 }, model.OutputShape.ToArray());
        Assert.Equal(784 * 200 + 200 + 200 * 784 + 784, model.TrainableParameterCount);
    }

    [Fact]
    public void LayersBuiltFromTheFileCarryItsArgumentsIntoTheModelConfig()
    {
        var spec = Experiment.Load(Path.Combine(Examples, "fashion-mnist-cnn.yaml")).Spec();
        var model = ExperimentModel.Build(spec.Model, spec.Seed, ImageShaped());
        Assert.Equal(spec.Model.Layers.Count, model.Layers.Count);
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var written = spec.Model.Layers[i].Config;
            var built = model.Layers[i].GetConfig();
            Assert.Equal(written.Name, built.Name);
            foreach (var (key, value) in written.Parameters)
                Assert.Equal(value, built.Parameters[key] is Sparta.Configuration.ComponentConfig c && value is string ? c.Name : built.Parameters[key]);
        }
        // And the model's own config rebuilds the same architecture.
        var again = Sparta.Models.Model.FromJson(model.ToJson());
        Assert.Equal(model.TrainableParameterCount, again.TrainableParameterCount);
        Assert.Equal(model.Layers.Select(l => l.GetConfig()), again.Layers.Select(l => l.GetConfig()));
    }

    [Fact]
    public void EveryExampleFileReadsAndItsComponentsKeepTheirValues()
    {
        var files = Directory.GetFiles(Examples, "*.yaml");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            var experiment = Experiment.Load(file);
            if (experiment.SearchSpace.Count > 0) continue;
            var spec = experiment.Spec();
            // The optimizer built from the file reports the file's parameters in its own config.
            var optimizer = OptimizerRegistry.Create(spec.Optimizer);
            foreach (var (key, value) in spec.Optimizer.Parameters)
                Assert.Equal(value, optimizer.GetConfig().Parameters[key]);
        }
    }
}

/// <summary>The repository's root, found from the test binary's directory.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Sparta.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Sparta.sln above {AppContext.BaseDirectory}");
    }
}
