using System.Globalization;
using Sparta.Experiments;
using Sparta.Serialization;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;
using Sparta.Tests.Training;

namespace Sparta.Tests.Lifecycle;

/// <summary><c>optimizer: {name: lbfgs}</c> in an experiment file: trained on the full batch, saved, evaluated, resumed, checked by the doctor.</summary>
public class FullBatchTests
{
    private const string Lbfgs = """
        name: full-batch
        seed: 4
        epochs: 2
        batch_size: 16
        data:
          train: {inputs: x_train.npy, targets: y_train.npy}
          test: {inputs: x_test.npy, targets: y_test.npy}
          validation_split: 0.2
          preprocessing: [standardize]
        model:
          layers:
            - {name: dense, units: 8, activation: tanh, kernel_regularizer: {name: l2, l2: 0.01}}
            - {name: dense, units: 3}
        loss: sparse_categorical_crossentropy
        metrics: [accuracy]
        optimizer: {name: lbfgs, max_iterations: 15}
        """;

    [Fact]
    public void EachEpochMinimizesTheWholeTrainingSetsLoss()
    {
        using var directory = new TempDirectory();
        var result = LifecycleFiles.Train(LifecycleFiles.Write(directory.Path, Lbfgs));
        var history = result.Trainer.History;
        // The logged loss is the objective at the epoch's end: the whole training part's loss with its
        // penalty, which evaluate computes on its own in one pass, whatever the chunks were.
        var whole = result.Trainer.Evaluate(result.Data.Train, batchSize: 1000);
        Assert.Equal(whole["loss"], history["loss"][^1], 5);
        Assert.Equal(whole["accuracy"], history["accuracy"][^1], 12);
        Assert.True(history["loss"][1] < history["loss"][0], $"losses {history["loss"][0]} then {history["loss"][1]}");
        Assert.True(result.TestScores["accuracy"] > 0.9, $"test accuracy {result.TestScores["accuracy"]} on separable blobs");
        Assert.InRange(result.Trainer.Optimizer.Iterations, 2, 30);
    }

    [Fact]
    public void OneEpochResumedToTwoIsBitForBitTwoEpochsAndEvaluatePrintsTheTrainingResult()
    {
        using var directory = new TempDirectory();
        var experiment = LifecycleFiles.Write(directory.Path, Lbfgs);
        var (code, output, error) = LifecycleFiles.Command("train", experiment.File, "--out", directory.File("straight"), "--quiet", "--threads", "1");
        Assert.True(code == 0, error);
        string trained = LifecycleFiles.LastLine(output);
        var evaluated = LifecycleFiles.Command("evaluate", directory.File("straight"));
        Assert.Equal(LifecycleFiles.LastLine(evaluated.Output), trained[..trained.IndexOf(" epochs=", StringComparison.Ordinal)]);

        LifecycleFiles.TrainInto(directory.File("first"), experiment.With("epochs", "1"));
        var resumed = LifecycleFiles.Train(experiment, Resumption.Open(directory.File("first"), experiment));
        var straight = ModelFile.Load(directory.File("straight/model.sparta")).CreateTrainer();
        TrainingData.AssertSameWeights(straight.Model, resumed.Trainer.Model);
        TrainingData.AssertSameHistory(straight.History, resumed.Trainer.History);
        Assert.Equal(straight.Optimizer.Iterations, resumed.Trainer.Optimizer.Iterations);
    }

    [Fact]
    public void AugmentationIsRefusedInOneLine()
    {
        var e = Assert.Throws<ExperimentException>(() => Experiment.Parse(Lbfgs.Replace("  preprocessing: [standardize]", "  augmentation: {horizontal_flip: true}", StringComparison.Ordinal), "exp.yaml"));
        Assert.Equal("data.augmentation", e.KeyPath);
        Assert.Contains("lbfgs minimizes one fixed full-batch loss", e.Message);
    }

    [Fact]
    public void TheBreastCancerExampleTrainsAndPassesTheDoctor()
    {
        string example = Path.Combine(RepositoryRoot.Path, "examples", "breast-cancer-lbfgs.yaml");
        var doctor = LifecycleFiles.Command("doctor", example);
        Assert.True(doctor.Code == 0, doctor.Output + doctor.Error);
        Assert.Contains("pass  overfit a tiny subset", doctor.Output);

        var result = new ExperimentRunner(Experiment.Load(example)).Run(TextWriter.Null, verbose: false, diagnose: false);
        Assert.True(result.TestScores["accuracy"] > 0.95, string.Create(CultureInfo.InvariantCulture, $"test accuracy {result.TestScores["accuracy"]}"));
    }
}
