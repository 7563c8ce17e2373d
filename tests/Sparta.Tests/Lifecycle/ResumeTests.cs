using Sparta.Data.Loaders;
using Sparta.Experiments;
using Sparta.Serialization;
using Sparta.Tests.Data;
using Sparta.Tests.Training;

namespace Sparta.Tests.Lifecycle;

public class ResumeTests
{
    [Fact]
    public void OneEpochResumedToTwoIsBitForBitTwoEpochs()
    {
        using var directory = new TempDirectory();
        var experiment = LifecycleFiles.Write(directory.Path);
        var straight = LifecycleFiles.Train(experiment);

        string run = directory.File("first");
        LifecycleFiles.TrainInto(run, experiment.With("epochs", "1"));
        var checkpoint = Resumption.Open(run, experiment);
        Assert.Equal(1, checkpoint.Checkpoint!.Epoch);
        var resumed = LifecycleFiles.Train(experiment, checkpoint);

        TrainingData.AssertSameWeights(straight.Trainer.Model, resumed.Trainer.Model);
        TrainingData.AssertSameHistory(straight.Trainer.History, resumed.Trainer.History);
        Assert.Equal(straight.Trainer.Optimizer.Iterations, resumed.Trainer.Optimizer.Iterations);
        Assert.Equal(straight.TestScores, resumed.TestScores);
        Assert.Equal(Scores.Line(RunDirectory.FinalScores(straight)), Scores.Line(RunDirectory.FinalScores(resumed)));
    }

    private const string Augmented = """
        name: augmented
        seed: 5
        epochs: 2
        batch_size: 16
        data:
          train: {inputs: images_train.npy, targets: y_train.npy}
          test: {inputs: images_test.npy, targets: y_test.npy}
          augmentation: {horizontal_flip: true, width_shift_range: 0.5}
        model:
          layers: [flatten, {name: dense, units: 3}]
        loss: sparse_categorical_crossentropy
        optimizer: {name: adam, learning_rate: 0.01}
        """;

    [Fact]
    public void AugmentedRunsResumeToTheSameTransformations()
    {
        using var directory = new TempDirectory();
        var experiment = LifecycleFiles.Write(directory.Path, Augmented);
        // The blobs' 4 features as 1x2x2 images, so flips and shifts move them.
        foreach (string split in new[] { "train", "test" })
        {
            var x = NpyFile.Read(directory.File($"x_{split}.npy"));
            NpyFile.Write(directory.File($"images_{split}.npy"), x.Reshape(x.Shape[0], 1, 2, 2));
        }
        var straight = LifecycleFiles.Train(experiment);
        string run = directory.File("first");
        LifecycleFiles.TrainInto(run, experiment.With("epochs", "1"));
        var resumed = LifecycleFiles.Train(experiment, Resumption.Open(run, experiment));
        TrainingData.AssertSameWeights(straight.Trainer.Model, resumed.Trainer.Model);

        var plain = LifecycleFiles.Train(experiment.With("data.augmentation", "{}"));
        Assert.NotEqual(plain.Trainer.Model.GetWeights()["dense/kernel"].ToArray(), resumed.Trainer.Model.GetWeights()["dense/kernel"].ToArray());
    }

    [Fact]
    public void AResumeOfAnotherExperimentNamesTheKeyThatDiffers()
    {
        using var directory = new TempDirectory();
        var experiment = LifecycleFiles.Write(directory.Path);
        string run = directory.File("first");
        LifecycleFiles.TrainInto(run, experiment.With("epochs", "1"));

        var changed = experiment.With("optimizer.learning_rate.decay_rate", "0.5");
        var e = Assert.Throws<ExperimentException>(() => Resumption.Open(run, changed));
        Assert.Equal("optimizer.learning_rate.decay_rate", e.KeyPath);
        Assert.Contains(Path.Combine(run, "model.sparta"), e.Message);

        // The same value written another way, and another number of epochs, are the same run.
        Assert.Equal(1, Resumption.Open(run, experiment.With("optimizer.learning_rate.decay_rate", "9e-1").With("epochs", "5")).Checkpoint!.Epoch);
        var fewer = Assert.Throws<ExperimentException>(() => Resumption.Open(Path.Combine(run, "model.sparta"), experiment.With("epochs", "1").With("epochs", "0")));
        Assert.Equal("epochs", fewer.KeyPath);
    }

    [Fact]
    public void OnlyACheckpointResumes()
    {
        using var directory = new TempDirectory();
        var experiment = LifecycleFiles.Write(directory.Path);
        string bare = directory.File("bare.sparta");
        ModelFile.Save(bare, LifecycleFiles.Train(experiment.With("epochs", "1")).Trainer.Model);
        var e = Assert.Throws<ModelFileException>(() => Resumption.Open(bare, experiment));
        Assert.Contains("no training state", e.Message);
        Assert.Throws<ModelFileException>(() => Resumption.Open(directory.File("missing"), experiment));
    }

    /// <summary>Early stopping whose patience runs out after the interruption: mode max on a falling loss improves only at epoch 1, so it stops at epoch 4.</summary>
    private static string EarlyStopping(int epochs, string extra = "") => LifecycleFiles.Stateful.Replace("epochs: 2", $"epochs: {epochs}", StringComparison.Ordinal)
        + $"\ncallbacks: [{{name: early_stopping, monitor: loss, mode: max, patience: 2{extra}}}]\n";

    [Fact]
    public void EarlyStoppingResumesItsPatienceAndStopsWhereTheUninterruptedRunStops()
    {
        using var directory = new TempDirectory();
        var experiment = LifecycleFiles.Write(directory.Path, EarlyStopping(8));
        var straight = LifecycleFiles.Train(experiment);
        Assert.Equal([1, 2, 3, 4], straight.Trainer.History.Epochs);

        string run = directory.File("first");
        LifecycleFiles.TrainInto(run, experiment.With("epochs", "2"));
        var resumed = LifecycleFiles.Train(experiment, Resumption.Open(run, experiment));

        Assert.Equal(straight.Trainer.StopReason, resumed.Trainer.StopReason);
        TrainingData.AssertSameHistory(straight.Trainer.History, resumed.Trainer.History);
        TrainingData.AssertSameWeights(straight.Trainer.Model, resumed.Trainer.Model);
        Assert.Equal(straight.TestScores, resumed.TestScores);
    }

    [Fact]
    public void ACheckpointHoldsItsExperimentAndResumesLikeTheRun()
    {
        using var directory = new TempDirectory();
        string text = LifecycleFiles.Stateful + "\ncallbacks: [{name: model_checkpoint, filepath: \"ckpt/epoch-{epoch}.sparta\"}]\n";
        var experiment = LifecycleFiles.Write(directory.Path, text);
        var (code, _, error) = LifecycleFiles.Command("train", experiment.File, "--out", directory.File("straight"), "--quiet", "--threads", "1");
        Assert.True(code == 0, error);
        string first = directory.File("ckpt/epoch-001.sparta");

        var changed = experiment.With("model.layers.0.units", "9");
        var e = Assert.Throws<ExperimentException>(() => Resumption.Open(first, changed));
        Assert.Equal("model.layers.0.units", e.KeyPath);

        // Its data paths are rewritten for the checkpoint's directory: evaluate finds the test set, and a resume continues the run.
        var evaluated = LifecycleFiles.Command("evaluate", first);
        Assert.True(evaluated.Code == 0, evaluated.Error);
        Assert.StartsWith("result test_accuracy=", evaluated.Output);
        var resumed = LifecycleFiles.Command("train", experiment.File, "--resume", first, "--out", directory.File("resumed"), "--quiet", "--threads", "1");
        Assert.True(resumed.Code == 0, resumed.Error);
        TrainingData.AssertSameWeights(ModelLoader.Load(directory.File("straight/model.sparta")).Model, ModelLoader.Load(directory.File("resumed/model.sparta")).Model);
    }

    [Fact]
    public void ResumingARunThatRestoresItsBestWeightsIsRefusedNamingTheKey()
    {
        using var directory = new TempDirectory();
        var experiment = LifecycleFiles.Write(directory.Path, EarlyStopping(8, ", restore_best_weights: true"));
        string run = directory.File("first");
        LifecycleFiles.TrainInto(run, experiment.With("epochs", "2"));
        var e = Assert.Throws<ExperimentException>(() => Resumption.Open(run, experiment));
        Assert.Equal("callbacks.0.restore_best_weights", e.KeyPath);
        Assert.Contains("cannot resume exactly", e.Message);
    }
}
