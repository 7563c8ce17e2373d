using System.Globalization;
using Sparta.Data;
using Sparta.Data.Splits;
using Sparta.Tensors;

namespace Sparta.Experiments;

/// <summary>
/// <c>cross_validation:</c> k-fold (stratified by class unless told otherwise) over the training set:
/// each fold's model is trained on the other folds (less their validation part), with the preprocessing
/// fitted on that training part alone (a transferred model's base brings its fitted preprocessing, used
/// as it is in every fold), and
/// scored on its fold. Prints one line per fold and the mean ± standard deviation of every score.
/// </summary>
internal static class ExperimentCrossValidation
{
    public static CrossValidationResult Run(ExperimentRunner runner, CrossValidationSpec spec, Dataset samples, TextWriter output,
        Serialization.SavedModel? transferBase = null)
    {
        var experiment = runner.Spec;
        if (spec.Stratified && samples.Labels is null)
            throw new ArgumentException("cross_validation.stratified: the targets are not class labels (a regression set); give stratified: false");
        if (spec.Folds > samples.Count)
            throw new ArgumentException($"cross_validation.folds: {spec.Folds} folds for {samples.Count} training samples; give at most {samples.Count}");
        var result = CrossValidation.Run(samples, spec.Folds, new RandomGenerator(experiment.Seed).Fork("cross_validation"), (train, held, fold) =>
        {
            var data = ExperimentData.Prepare(experiment.Data, train, held, experiment.Seed, transferBase);
            var scores = runner.TrainQuietly(data, experiment.Seed).Evaluate(data.Test!, ExperimentRunner.EvaluationBatchSize(experiment));
            output.WriteLine($"fold {fold + 1}/{spec.Folds} " + Scores.Line(scores.Select(s => (s.Key, s.Value))));
            return scores;
        }, spec.Stratified);
        output.WriteLine($"cross_validation folds={spec.Folds} " + string.Join(" ", Scores.Ordered(result.Metrics.Select(m => (m, 0.0)))
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}={result.Mean(s.Key):G6}±{result.Std(s.Key):G6}"))));
        return result;
    }
}
