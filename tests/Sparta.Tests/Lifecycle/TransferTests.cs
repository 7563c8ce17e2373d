using Sparta.Data.Loaders;
using Sparta.Experiments;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Lifecycle;

public class TransferTests
{
    private static (Experiment Head, Dictionary<string, Tensor> Base) TrainBase(TempDirectory directory, string? head = null)
    {
        var baseRun = LifecycleFiles.TrainInto(directory.File("base"), LifecycleFiles.Write(directory.Path));
        string path = directory.File("head.yaml");
        File.WriteAllText(path, head ?? LifecycleFiles.Head());
        return (Experiment.Load(path), baseRun.Trainer.Model.GetWeights());
    }

    private static void AssertUnchanged(Dictionary<string, Tensor> before, Dictionary<string, Tensor> after, params string[] names)
    {
        foreach (string name in names) Assert.True(before[name].Span.SequenceEqual(after[name].Span), $"frozen weight '{name}' moved");
    }

    private static void AssertChanged(Dictionary<string, Tensor> before, Dictionary<string, Tensor> after, params string[] names)
    {
        foreach (string name in names) Assert.False(before[name].Span.SequenceEqual(after[name].Span), $"trainable weight '{name}' did not move");
    }

    [Fact]
    public void AFrozenBaseKeepsEveryWeightAndBatchNormStatisticWhileTheNewHeadLearns()
    {
        using var directory = new TempDirectory();
        var (head, before) = TrainBase(directory);
        var result = LifecycleFiles.Train(head);
        var model = result.Trainer.Model;
        var after = model.GetWeights();

        // All but the base's last layer are kept; the head replaces it.
        Assert.Equal(["hidden", "norm", "dropout", "features", "dense"], model.Layers.Select(l => l.Name));
        Assert.DoesNotContain("out/kernel", after.Keys);
        AssertUnchanged(before, after, "hidden/kernel", "hidden/bias", "norm/gamma", "norm/beta", "norm/moving_mean", "norm/moving_variance", "features/kernel");
        var untrainedHead = Sparta.Models.Model.FromConfig(model.GetConfig()).GetWeights();
        AssertChanged(untrainedHead, after, "dense/kernel");
        Assert.Equal((6 + 1) * 3, model.TrainableParameterCount);
        Assert.True(result.TestScores["accuracy"] > 0.8, $"accuracy {result.TestScores["accuracy"]} on separable blobs");

        // The base's fitted preprocessing comes with it, into the new model's file.
        string run = directory.File("head-run");
        RunDirectory.Write(run, head, result);
        var saved = ModelLoader.Load(Path.Combine(run, "model.sparta"));
        var basePipeline = ModelLoader.Load(directory.File("base/model.sparta")).Preprocessing["input"];
        Assert.Equal(basePipeline.ToJson(), saved.Preprocessing["input"].ToJson());
    }

    [Fact]
    public void AListFreezesOnlyTheLayersItNames()
    {
        using var directory = new TempDirectory();
        var (head, before) = TrainBase(directory, LifecycleFiles.Head(cutAfter: "features").Replace("freeze: true", "freeze: [hidden]"));
        var after = LifecycleFiles.Train(head).Trainer.Model.GetWeights();
        AssertUnchanged(before, after, "hidden/kernel", "hidden/bias");
        AssertChanged(before, after, "norm/gamma", "norm/moving_mean", "features/kernel");
    }

    [Fact]
    public void TwoStageFineTuningStartsTheSecondStageFromTheFirstStagesModel()
    {
        using var directory = new TempDirectory();
        var (head, _) = TrainBase(directory);
        string stage1 = directory.File("stage1");
        var first = LifecycleFiles.TrainInto(stage1, head);
        var firstWeights = first.Trainer.Model.GetWeights();

        // Stage 2 keeps the whole stage-1 model (cut after its head) and unfreezes it, with a smaller rate.
        string path = directory.File("stage2.yaml");
        File.WriteAllText(path, LifecycleFiles.Head("stage1/model.sparta", cutAfter: "dense")
            .Replace("freeze: true", "freeze: false").Replace("  layers: [{name: dense, units: 3}]\n", "").Replace("0.05", "0.001"));
        var second = LifecycleFiles.Train(Experiment.Load(path)).Trainer.Model;
        Assert.Equal(first.Trainer.Model.Layers.Select(l => l.ToString()), second.Layers.Select(l => l.ToString()));
        Assert.Equal(second.Parameters.Sum(p => (long)p.Value.Size), second.TrainableParameterCount);
        AssertChanged(firstWeights, second.GetWeights(), "hidden/kernel", "norm/moving_mean", "features/kernel", "dense/kernel");
    }

    [Fact]
    public void TransferMistakesNameTheKeyOrTheFile()
    {
        using var directory = new TempDirectory();
        var (head, _) = TrainBase(directory);

        var unknown = Assert.Throws<ArgumentException>(() => LifecycleFiles.Train(head.With("model.cut_after", "featurs")));
        Assert.Contains("no layer named 'featurs'", unknown.Message);
        Assert.Contains("features", unknown.Message);

        var missing = Assert.Throws<ModelFileException>(() => LifecycleFiles.Train(head.With("model.from", "nowhere/model.sparta")));
        Assert.Contains("nowhere", missing.Message);
        Assert.Contains("does not exist", missing.Message);

        var withoutFrom = Assert.Throws<ExperimentException>(() => Experiment.Parse(
            "data: {dataset: fashion-mnist}\nmodel: {freeze: true, layers: [flatten]}\nloss: mse\n", "x.yaml").Spec());
        Assert.Equal("model.freeze", withoutFrom.KeyPath);

        var shape = Assert.Throws<ExperimentException>(() => Experiment.Parse(
            "data: {dataset: fashion-mnist}\nmodel: {from: a.sparta, input_shape: [4]}\nloss: mse\n", "x.yaml").Spec());
        Assert.Equal("model.input_shape", shape.KeyPath);

        // Data of another shape than the base was trained on.
        NpyFile.Write(directory.File("wide.npy"), Tensor.Zeros(150, 5));
        var wide = Assert.Throws<ModelFileException>(() => LifecycleFiles.Train(head.With("data.train.inputs", "wide.npy")));
        Assert.Contains("input 'input' takes samples of shape (4), got (150, 5)", wide.Message);

        var twice = Assert.Throws<ArgumentException>(() => LifecycleFiles.Train(head.With("data.preprocessing", "[standardize]")));
        Assert.StartsWith("data.preprocessing:", twice.Message);
    }

    [Theory]
    [InlineData("transfer-base.yaml", "transfer-head.yaml", "transfer-base")]
    [InlineData("zoo-lenet5.yaml", "transfer-lenet5-head.yaml", "zoo-lenet5")]
    public void TheTransferExamplesArePairs(string baseFile, string headFile, string baseRun)
    {
        string examples = Path.Combine(RepositoryRoot.Path, "examples");
        var baseSpec = Experiment.Load(Path.Combine(examples, baseFile)).Spec();
        var head = Experiment.Load(Path.Combine(examples, headFile));
        var transfer = head.Spec().Model.Transfer!;
        // The head reads the model the base's documented command writes (runs/BASE, from the repository root).
        Assert.Equal(Path.Combine(RepositoryRoot.Path, "runs", baseRun, "model.sparta"), Path.GetFullPath(Path.Combine(head.Directory, transfer.From)));
        Assert.Contains($"--out runs/{baseRun}\n", File.ReadAllText(Path.Combine(examples, headFile)));
        // Its cut and frozen layers are the base's, and the new head fits the base's cut.
        var baseModel = ExperimentModel.Build(baseSpec.Model, baseSpec.Seed, new Dictionary<string, int[]> { [Sparta.Data.DatasetRegistry.InputName] = [1, 28, 28] });
        var model = baseModel.Transfer(transfer.CutAfter, head.Spec().Model.Layers.Select(l => Sparta.Layers.LayerRegistry.Create(l.Config)), "head", 0, transfer.FreezeAll, transfer.FreezeLayers);
        Assert.InRange(model.NonTrainableParameterCount, 1, model.TrainableParameterCount + model.NonTrainableParameterCount - 1);
        Assert.Empty(head.Spec().Data.Preprocessing);
    }
}

public class TransferCrossValidationTests
{
    [Fact]
    public void EveryFoldUsesTheBasePreprocessingAsSaved()
    {
        using var directory = new TempDirectory();
        LifecycleFiles.TrainInto(directory.File("base"), LifecycleFiles.Write(directory.Path));
        // The whole base, its last layer trained at a rate too small to move a float32 weight: each fold
        // scores the base model itself on its 50 samples, so the folds' mean is the base's score on all
        // 150 (equal folds), when every fold is preprocessed as the base was.
        string path = directory.File("folds.yaml");
        File.WriteAllText(path, LifecycleFiles.Head(cutAfter: "out").Replace("  layers: [{name: dense, units: 3}]\n", "", StringComparison.Ordinal)
            .Replace("freeze: true", "freeze: [hidden, norm, features]", StringComparison.Ordinal)
            .Replace("{name: adam, learning_rate: 0.05}", "{name: sgd, learning_rate: 1e-30}", StringComparison.Ordinal)
            .Replace("epochs: 2", "epochs: 1\ncross_validation: {folds: 3, stratified: false}", StringComparison.Ordinal));
        var folds = LifecycleFiles.Train(Experiment.Load(path)).CrossValidation!;

        var saved = ModelLoader.Load(directory.File("base/model.sparta"));
        var whole = ModelEvaluation.Evaluate(saved, new Dictionary<string, Tensor> { [""] = NpyFile.Read(directory.File("x_train.npy")) },
            NpyFile.Read(directory.File("y_train.npy")));
        Assert.Equal(whole["accuracy"], folds.Mean("accuracy"), 12);
        Assert.Equal(whole["loss"], folds.Mean("loss"), 5);
    }
}
