using Sparta.Tensors;

namespace Sparta.Data.Splits;

/// <summary>The metrics of every fold and, per metric, their mean and standard deviation.</summary>
public sealed record CrossValidationResult(IReadOnlyList<IReadOnlyDictionary<string, double>> Folds)
{
    public double Mean(string metric) => Values(metric).Average();

    /// <summary>Population standard deviation over the folds (numpy's default, as in <c>scores.std()</c>).</summary>
    public double Std(string metric)
    {
        var values = Values(metric);
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    public IReadOnlyList<string> Metrics => Folds[0].Keys.ToArray();

    /// <summary>"accuracy 0.8712 ± 0.0031, loss 0.3620 ± 0.0102".</summary>
    public override string ToString() =>
        string.Join(", ", Metrics.Select(m => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{m} {Mean(m):F4} ± {Std(m):F4}")));

    private double[] Values(string metric) => Folds.Select(f => f.TryGetValue(metric, out double v) ? v
        : throw new ArgumentException($"cross-validation: metric '{metric}' is missing from a fold (metrics: {string.Join(", ", f.Keys)})", nameof(metric))).ToArray();
}

/// <summary>
/// Runs a train-and-evaluate function once per fold: it receives the fold's training set and its
/// held-out set (copies; fit any preprocessing on the training one) and returns named metrics.
/// </summary>
public static class CrossValidation
{
    public delegate IReadOnlyDictionary<string, double> TrainAndEvaluate(Dataset train, Dataset validation, int fold);

    public static CrossValidationResult Run(Dataset data, int k, RandomGenerator random, TrainAndEvaluate trainAndEvaluate, bool stratified = true)
    {
        if (stratified && data.Labels is null) throw new ArgumentException("cross-validation: stratified folds need class labels; pass stratified: false for a regression target", nameof(stratified));
        var folds = stratified ? KFold.Stratified(data.Labels!, k, random) : KFold.Create(data.Count, k, random);
        var results = new List<IReadOnlyDictionary<string, double>>();
        for (int f = 0; f < folds.Count; f++)
        {
            var metrics = trainAndEvaluate(data.Subset(folds[f].Train), data.Subset(folds[f].Validation), f);
            if (results.Count > 0 && !metrics.Keys.ToHashSet().SetEquals(results[0].Keys))
                throw new InvalidOperationException($"cross-validation: fold {f} returned metrics {string.Join(", ", metrics.Keys)}, fold 0 returned {string.Join(", ", results[0].Keys)}");
            results.Add(metrics);
        }
        return new CrossValidationResult(results);
    }
}
