using Sparta.Autograd;
using Sparta.Data;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Diagnostics;

/// <summary>
/// The slides' checks before a long run, on a classification set: the untrained loss is close to
/// ln C (softmax cross-entropy over C classes with small logits predicts 1/C everywhere), the
/// regularization penalty raises the loss, and a tiny subset can be learned by heart (a model that
/// cannot overfit 20 examples has a bug, not a capacity problem). The model's weights are restored.
/// </summary>
public static class SanityChecks
{
    /// <summary>One check: passed (true), failed (false) or skipped (null), and why, with the numbers.</summary>
    public sealed record Check(string Name, bool? Passed, string Why)
    {
        public override string ToString() => $"{(Passed switch { true => "pass", false => "FAIL", null => "skip" })}  {Name}: {Why}";
    }

    /// <summary>Runs the three checks; <paramref name="optimizer"/> makes a fresh optimizer for the overfitting run.</summary>
    public static IReadOnlyList<Check> Run(Model model, Loss loss, Func<Optimizer> optimizer, Dataset train,
        int subsetSize = 20, int maxEpochs = 300, double initialLossTolerance = 0.25, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Labels is null || train.ClassCount < 2)
            throw new ArgumentException("sanity checks: need a classification set (labels and at least 2 classes)", nameof(train));
        var batch = train.Subset(Enumerable.Range(0, Math.Min(train.Count, 256)).ToArray());
        var saved = model.GetWeights();
        try
        {
            var (dataLoss, penalty) = Losses(model, loss, batch);
            return
            [
                InitialLoss(dataLoss, train.ClassCount, initialLossTolerance),
                Regularization(dataLoss, penalty),
                Overfit(model, loss, optimizer(), train.Subset(Enumerable.Range(0, Math.Min(subsetSize, train.Count)).ToArray()), maxEpochs, seed),
            ];
        }
        finally
        {
            model.SetWeights(saved);
        }
    }

    private static (double DataLoss, double? Penalty) Losses(Model model, Loss loss, Dataset batch)
    {
        using var _ = Tape.NoGrad();
        var loader = new BatchLoader(batch, batch.Count, oneHotTargets: loss is CategoricalCrossEntropy && batch.Target.Rank == 1);
        var only = loader.Epoch().Single();
        double data = loss.Compute(model.Forward(only.Inputs), only.Target).Item();
        return (data, model.RegularizationLoss()?.Item());
    }

    private static Check InitialLoss(double loss, int classes, double tolerance)
    {
        double expected = Math.Log(classes);
        bool passed = Math.Abs(loss - expected) <= tolerance * expected;
        string why = $"untrained loss {loss:G4} without regularization, expected ln {classes} = {expected:G4} (within {tolerance:P0})";
        return new("initial loss", passed, passed ? why : why + "; the last layer's weights are too large or the loss does not match the outputs");
    }

    private static Check Regularization(double dataLoss, double? penalty) => penalty switch
    {
        null => new("regularization raises the loss", null, "the model has no weight penalties"),
        > 0 => new("regularization raises the loss", true, $"loss {dataLoss + penalty.Value:G4} with the penalty, {dataLoss:G4} without"),
        _ => new("regularization raises the loss", false, $"the penalty is {penalty.Value:G4}: the regularizers add nothing"),
    };

    private static Check Overfit(Model model, Loss loss, Optimizer optimizer, Dataset subset, int maxEpochs, ulong seed)
    {
        var trainer = new Trainer(model, optimizer, loss, [MetricRegistry.Create("accuracy")]);
        var stop = new StopAtPerfectAccuracy();
        var history = trainer.Fit(subset, epochs: maxEpochs, batchSize: subset.Count, seed: seed, callbacks: [stop], verbose: false);
        double accuracy = history["accuracy"][^1];
        int epochs = history.Epochs[^1];
        return accuracy >= 1
            ? new("overfit a tiny subset", true, $"{subset.Count} examples learned by heart in {epochs} epochs (loss {history["loss"][^1]:G3})")
            : new("overfit a tiny subset", false, $"{subset.Count} examples reach {accuracy:P0} training accuracy after {epochs} epochs (loss {history["loss"][^1]:G3}); check the learning rate, the labels and the gradients");
    }

    /// <summary>Ends the overfitting run as soon as every example is classified right.</summary>
    private sealed class StopAtPerfectAccuracy : Callback
    {
        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
        {
            if (logs["accuracy"] >= 1) trainer.Stop("training accuracy 100%");
        }
    }
}
