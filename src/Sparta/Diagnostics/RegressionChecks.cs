using Sparta.Autograd;
using Sparta.Data;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Training;
using Sparta.Training.Callbacks;
using static System.FormattableString;

namespace Sparta.Diagnostics;

/// <summary>
/// <see cref="SanityChecks"/> on regression targets, measured against the two constant predictions a
/// model can make without learning anything: zero (where small weights start) and the targets' mean
/// (the best constant, whose squared error is the targets' variance).
/// </summary>
internal static class RegressionChecks
{
    /// <summary>An untrained model with small last-layer weights predicts about zero, so it should start near that loss.</summary>
    private const double MaxStartOverZero = 10;

    /// <summary>Under the squared error, predicting 0 costs 1 + mean²/variance times predicting the mean: 2 once the mean is a standard deviation away from 0.</summary>
    private const double FarFromZero = 2;

    /// <summary>A subset counts as learned by heart at 5% of the mean prediction's loss (R² = 0.95 for the squared error).</summary>
    private const double LearnedFraction = 0.05;

    /// <summary>
    /// The fraction of the mean prediction's loss that counts as learned: <see cref="LearnedFraction"/>
    /// for a loss that grows with the squared errors, and its square root (22%) for the absolute
    /// error, which grows with the errors themselves: the same errors, 22% of the mean prediction's,
    /// either way. Asking 5% of the absolute error would ask errors 4.5 times smaller than of a model
    /// trained on the squared error.
    /// </summary>
    private static double Learned(Loss loss) => loss is MeanAbsoluteError ? Math.Sqrt(LearnedFraction) : LearnedFraction;

    public static SanityChecks.Check InitialLoss(double loss, Loss lossFunction, Tensor outputs, Tensor targets)
    {
        const string name = "initial loss";
        if (outputs.Shape != targets.Shape)
            return new(name, null, $"the model's outputs {outputs.Shape} do not have the targets' shape {targets.Shape}");
        var means = ColumnMeans(targets);
        double zero = ConstantLoss(lossFunction, targets, Tensor.Zeros(targets.Shape.ToArray()));
        double mean = ConstantLoss(lossFunction, targets, means);
        string why = Invariant($"untrained loss {loss:G4}; predicting 0 scores {zero:G4}, predicting the targets' mean {mean:G4}");
        if (loss > MaxStartOverZero * Math.Max(zero, mean))
            return new(name, false, why + Invariant($"; more than {MaxStartOverZero:G2} times either: the untrained outputs are far larger than the targets (the last layer's weights or the inputs' scale are too large)"));
        if (zero > FarFromZero * mean && loss > FarFromZero * mean)
            why += Invariant($"; the targets sit far from 0 for their spread, so the first epochs only learn their mean: a last-layer bias starting there (bias_initializer: {{name: constant, value: {means.Span[0]:G4}}}) starts the model where it can learn");
        return new(name, true, why);
    }

    public static SanityChecks.Check Overfit(Model model, Loss loss, IOptimizer optimizer, Dataset subset, int maxEpochs, ulong seed)
    {
        const string name = "overfit a tiny subset";
        double baseline = ConstantLoss(loss, subset.Target, ColumnMeans(subset.Target));
        double fraction = Learned(loss);
        double target = fraction * baseline;
        var trainer = new Trainer(model, optimizer, loss);
        var history = trainer.Fit(subset, epochs: maxEpochs, batchSize: subset.Count, seed: seed, callbacks: [new StopBelow(target)], verbose: false);
        double reached = history[history.Contains("data_loss") ? "data_loss" : "loss"][^1];
        string why = Invariant($"{subset.Count} examples reach loss {reached:G3} after {history.Epochs[^1]} epochs; predicting their mean scores {baseline:G3}");
        return reached <= target
            ? new(name, true, why + Invariant($", so {Doctor.Percent(1 - reached / baseline, 1)} of it is learned"))
            : new(name, false, why + Invariant($", and learning them by heart means below {target:G3} ({Doctor.Percent(fraction, 0)} of it); check the learning rate, the targets and the gradients"));
    }

    /// <summary>The loss of predicting <paramref name="prediction"/> for every sample.</summary>
    private static double ConstantLoss(Loss loss, Tensor targets, Tensor prediction)
    {
        using var _ = Tape.NoGrad();
        return loss.Compute(prediction, targets).Item();
    }

    /// <summary>A tensor of the targets' shape whose every row is the targets' column means.</summary>
    private static Tensor ColumnMeans(Tensor targets)
    {
        int rows = targets.Shape[0], width = targets.Size / rows;
        var values = targets.Span;
        var means = new double[width];
        for (int i = 0; i < values.Length; i++) means[i % width] += values[i] / (double)rows;
        var result = Tensor.Zeros(targets.Shape.ToArray());
        var span = result.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)means[i % width];
        return result;
    }

    /// <summary>Ends the overfitting run once the data loss is below the target.</summary>
    private sealed class StopBelow(double target) : Callback
    {
        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
        {
            if (logs.GetValueOrDefault("data_loss", logs["loss"]) <= target) trainer.Stop("subset learned");
        }
    }
}
