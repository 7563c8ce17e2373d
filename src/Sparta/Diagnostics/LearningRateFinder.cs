using Sparta.Configuration;
using Sparta.Data;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Schedules;
using Sparta.Tensors;

namespace Sparta.Diagnostics;

/// <summary>
/// The learning-rate range test (Smith 2017, as fastai's lr_find): train from the current weights
/// while the rate grows exponentially from <c>start</c> to <c>end</c>, one rate per batch, and
/// record the loss smoothed by an exponential moving average (bias-corrected). The sweep stops when
/// the smoothed loss passes <c>explodeFactor</c> times its minimum or is not finite. Two
/// suggestions: the rate where the smoothed loss falls fastest against log(rate), and the rate of
/// the minimum divided by ten. The model's weights are restored afterwards.
/// <code>
/// var result = LearningRateFinder.Run(model, LossRegistry.Create("mse"), rate => new Sgd(rate), train, batchSize: 32);
/// Console.WriteLine($"try {result.SteepestRate:G3} (or {result.MinimumRate / 10:G3})");
/// </code>
/// </summary>
public static class LearningRateFinder
{
    public sealed record Result(IReadOnlyList<double> Rates, IReadOnlyList<double> Losses, IReadOnlyList<double> SmoothedLosses,
        bool Exploded, double SteepestRate, double MinimumRate)
    {
        /// <summary>The rate at the smoothed loss's minimum divided by ten (fastai's lr_min).</summary>
        public double MinimumOverTen => MinimumRate / 10;
    }

    /// <param name="steps">Rates tried (one per batch); by default one pass over <paramref name="train"/>, more passes when larger.</param>
    public static Result Run(Model model, Loss loss, Func<LearningRateSchedule, Optimizer> optimizer, Dataset train, int batchSize = 32,
        double start = 1e-7, double end = 10, int? steps = null, double smoothing = 0.98, double explodeFactor = 4, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(train);
        if (!(start > 0 && end > start)) throw new ArgumentException($"lr finder: needs 0 < start < end, got start {start}, end {end}");
        Check.InRange(smoothing, 0, 1, "smoothing", "lr finder");
        if (!(explodeFactor > 1)) throw new ArgumentOutOfRangeException(nameof(explodeFactor), $"lr finder: explodeFactor must be above 1, got {explodeFactor}");
        var random = new RandomGenerator(seed);
        bool oneHot = loss is CategoricalCrossEntropy && train.Labels is not null && train.Target.Rank == 1;
        int count = steps ?? new BatchLoader(train, batchSize).BatchesPerEpoch;
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(steps), $"lr finder: needs at least 2 steps, got {count}");
        var ramp = new ExponentialRamp(start, end, count);
        var opt = optimizer(ramp);
        var parameters = model.Parameters;
        var saved = model.GetWeights();

        var rates = new List<double>();
        var losses = new List<double>();
        var smoothed = new List<double>();
        double average = 0, best = double.PositiveInfinity;
        bool exploded = false;
        for (int pass = 0; rates.Count < count && !exploded; pass++)
        {
            var loader = new BatchLoader(train, batchSize, random.Fork((ulong)pass), oneHot);
            foreach (var batch in loader.Epoch())
            {
                double rate = opt.CurrentLearningRate;
                opt.ZeroGrad();
                var predictions = model.Forward(batch.Inputs, training: true);
                var penalty = model.RegularizationLoss();
                var total = penalty is null ? loss.Compute(predictions, batch.Target) : loss.Compute(predictions, batch.Target) + penalty;
                total.Backward();
                opt.Step(parameters);

                double value = total.Item();
                average = smoothing * average + (1 - smoothing) * value;
                double debiased = average / (1 - Math.Pow(smoothing, rates.Count + 1));
                rates.Add(rate);
                losses.Add(value);
                smoothed.Add(debiased);
                best = Math.Min(best, debiased);
                if (!double.IsFinite(debiased) || debiased > explodeFactor * best) { exploded = true; break; }
                if (rates.Count == count) break;
            }
        }
        model.SetWeights(saved);
        return new Result(rates, losses, smoothed, exploded, Steepest(rates, smoothed), rates[ArgMin(smoothed)]);
    }

    /// <summary>
    /// The rate where the smoothed loss falls fastest against log(rate), up to its minimum (beyond it
    /// the loss climbs). The slope is taken over a window of a twentieth of the sweep (at least one
    /// step): between neighbouring rates the smoothed loss still wobbles more than it descends. The
    /// first points are skipped (fastai's skip_start): an average of so few losses is mostly noise.
    /// </summary>
    private static double Steepest(List<double> rates, List<double> smoothed)
    {
        int last = ArgMin(smoothed);
        int window = Math.Max(1, Math.Min(rates.Count / 20, last));
        int first = Math.Min(SkipStart, Math.Max(0, last - window));
        if (last < 1) return rates[0];
        int best = first;
        double steepest = double.PositiveInfinity;
        for (int i = first; i + window <= last; i++)
        {
            double slope = (smoothed[i + window] - smoothed[i]) / (Math.Log(rates[i + window]) - Math.Log(rates[i]));
            if (slope < steepest) { steepest = slope; best = i + window / 2; }
        }
        return rates[best];
    }

    private const int SkipStart = 10;

    private static int ArgMin(List<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Count; i++)
            if (values[i] < values[best]) best = i;
        return best;
    }
}
