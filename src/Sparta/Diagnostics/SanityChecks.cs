using Sparta.Autograd;
using Sparta.Data;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Training;
using Sparta.Training.Callbacks;
using static System.FormattableString;

namespace Sparta.Diagnostics;

/// <summary>
/// The slides' checks before a long run, on a classification set: the untrained loss is what its
/// outputs predict (see <see cref="InitialLoss"/>), the regularization penalty raises the loss, and a
/// tiny subset can be learned by heart (a model that cannot overfit 20 examples has a bug, not a
/// capacity problem); on regression targets, <see cref="RegressionChecks"/>. The model's weights are restored.
/// </summary>
public static class SanityChecks
{
    /// <summary>One check: passed (true), failed (false) or skipped (null), and why, with the numbers.</summary>
    public sealed record Check(string Name, bool? Passed, string Why)
    {
        public override string ToString() => $"{(Passed switch { true => "pass", false => "FAIL", null => "skip" })}  {Name}: {Why}";
    }

    /// <summary>Runs the three checks; <paramref name="optimizer"/> makes a fresh optimizer for the overfitting run.</summary>
    /// <param name="maxLogitSpread">The largest std of the untrained logits across classes that still counts as a small start.</param>
    public static IReadOnlyList<Check> Run(Model model, Loss loss, Func<IOptimizer> optimizer, Dataset train,
        int subsetSize = 20, int maxEpochs = 300, double maxLogitSpread = 2, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Labels is not null && train.ClassCount < 2)
            throw new ArgumentException("sanity checks: a classification set needs at least 2 classes", nameof(train));
        var batch = train.Subset(Enumerable.Range(0, Math.Min(train.Count, 256)).ToArray());
        var subset = train.Subset(Enumerable.Range(0, Math.Min(subsetSize, train.Count)).ToArray());
        var saved = model.GetWeights();
        try
        {
            var (dataLoss, penalty, outputs) = Losses(model, loss, batch);
            if (train.Labels is null)
                return
                [
                    RegressionChecks.InitialLoss(dataLoss, loss, outputs, batch.Target),
                    Regularization(dataLoss, penalty),
                    RegressionChecks.Overfit(model, loss, optimizer(), subset, maxEpochs, seed),
                ];
            return
            [
                InitialLoss(dataLoss, loss, outputs, batch.Labels!, train.ClassCount, maxLogitSpread),
                Regularization(dataLoss, penalty),
                Overfit(model, loss, optimizer(), subset, maxEpochs, seed),
            ];
        }
        finally
        {
            model.SetWeights(saved);
        }
    }

    private static (double DataLoss, double? Penalty, Tensor Outputs) Losses(Model model, Loss loss, Dataset batch)
    {
        using var _ = Tape.NoGrad();
        var loader = new BatchLoader(batch, batch.Count, oneHotTargets: loss is CategoricalCrossEntropy && batch.Target.Rank == 1);
        var only = loader.Epoch().Single();
        var outputs = model.Forward(only.Inputs);
        double data = loss.Compute(outputs, only.Target).Item();
        return (data, model.RegularizationLoss()?.Item(), outputs);
    }

    /// <summary>
    /// The slides: with small weights, softmax cross-entropy over C classes starts at ln C. Glorot's
    /// last layer gives logits of std about 1, and then the start is higher: with labels unrelated to
    /// the untrained logits z, the expected loss of an example is LSE(z) − Σₖ πₖ zₖ (πₖ the labels'
    /// frequencies), which is ln C for equal logits and about ln C + s²/2 for logits spread with std s
    /// across classes (<see cref="ExpectedStart"/>). The check fails when the spread exceeds
    /// <paramref name="maxSpread"/> (the model starts confidently wrong: the last layer's weights are
    /// too large), or when the measured loss is further from the expectation than four standard errors
    /// of the batch plus 10% of ln C: then the untrained outputs already agree with the labels (or
    /// disagree) beyond chance.
    /// </summary>
    private static Check InitialLoss(double loss, Loss lossFunction, Tensor outputs, int[] labels, int classes, double maxSpread)
    {
        const string name = "initial loss";
        bool? fromLogits = lossFunction switch
        {
            SparseCategoricalCrossEntropy s => s.FromLogits,
            CategoricalCrossEntropy c => c.FromLogits,
            _ => null,
        };
        if (fromLogits is null) return new(name, null, $"ln C is the start of a softmax cross-entropy, not of '{lossFunction.Name}'");
        if (outputs.Rank != 2 || outputs.Shape[1] != classes)
            return new(name, null, $"the model's outputs {outputs.Shape} are not one score per class ({classes})");
        var start = ExpectedStart.Of(outputs.Span, labels, classes, probabilities: fromLogits == false);
        double lnC = Math.Log(classes);
        double tolerance = 4 * start.StandardError + 0.1 * lnC;
        string why = Invariant($"untrained loss {loss:G4} without regularization; its logits spread with std {start.Spread:G3} across classes, so {start.Loss:G4} is expected (ln {classes} = {lnC:G4} plus {start.Loss - lnC:G2} for the spread, ±{tolerance:G2})");
        if (start.Spread > maxSpread)
            return new(name, false, why + Invariant($"; a spread above {maxSpread:G3} starts the model confidently wrong: the last layer's weights are too large (small weights start near ln {classes})"));
        if (Math.Abs(loss - start.Loss) > tolerance)
            return new(name, false, why + $"; the untrained outputs {(loss < start.Loss ? "agree" : "disagree")} with the labels beyond chance: weights trained already, labels leaking into the inputs, "
                + "a loss that does not match the outputs (labels' encoding, from_logits), or a few tight clusters that random weights happen to separate (small last-layer weights remove the doubt)");
        return new(name, true, why);
    }

    private static Check Regularization(double dataLoss, double? penalty) => penalty switch
    {
        null => new("regularization raises the loss", null, "the model has no weight penalties"),
        > 0 => new("regularization raises the loss", true, Invariant($"loss {dataLoss + penalty.Value:G4} with the penalty, {dataLoss:G4} without")),
        _ => new("regularization raises the loss", false, Invariant($"the penalty is {penalty.Value:G4}: the regularizers add nothing")),
    };

    private static Check Overfit(Model model, Loss loss, IOptimizer optimizer, Dataset subset, int maxEpochs, ulong seed)
    {
        var trainer = new Trainer(model, optimizer, loss, [MetricRegistry.Create("accuracy")]);
        var stop = new StopAtPerfectAccuracy();
        var history = trainer.Fit(subset, epochs: maxEpochs, batchSize: subset.Count, seed: seed, callbacks: [stop], verbose: false);
        double accuracy = history["accuracy"][^1];
        int epochs = history.Epochs[^1];
        return accuracy >= 1
            ? new("overfit a tiny subset", true, Invariant($"{subset.Count} examples learned by heart in {epochs} epochs (loss {history["loss"][^1]:G3})"))
            : new("overfit a tiny subset", false, Invariant($"{subset.Count} examples reach {Doctor.Percent(accuracy, 0)} training accuracy after {epochs} epochs (loss {history["loss"][^1]:G3}); check the learning rate, the labels and the gradients"));
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
