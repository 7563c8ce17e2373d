using Sparta.Data;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Training;

namespace Sparta.Experiments;

/// <summary>
/// <c>sparta evaluate</c>: a saved model's loss and metrics (those it was trained with) on samples,
/// or on the test set of the experiment it was trained from, computed as training computed its
/// result line, so the scores are the same to the last digit.
/// </summary>
public static class ModelEvaluation
{
    /// <summary>
    /// The scores on raw <paramref name="inputs"/> by input name (key "" for a one-input model) and
    /// <paramref name="targets"/>, preprocessed as in training; with neither, on the test set of the
    /// model's experiment.
    /// </summary>
    public static Dictionary<string, double> Evaluate(SavedModel saved, IReadOnlyDictionary<string, Tensor>? inputs = null, Tensor? targets = null)
    {
        var (lossConfig, metricConfigs) = saved.Objective
            ?? throw new ModelFileException(saved.Path, "records neither the experiment nor the training state it comes from, so it has no loss or metrics to evaluate");
        var loss = LossRegistry.Create(lossConfig);
        var metrics = metricConfigs.Select(MetricRegistry.Create).ToArray();
        bool classes = loss is CategoricalCrossEntropy or SparseCategoricalCrossEntropy;
        int classCount = saved.Model.OutputShape.Size;
        Dataset data;
        int batchSize = 256;
        if (inputs is null && targets is null)
        {
            var experiment = saved.Experiment
                ?? throw new ModelFileException(saved.Path, "records no experiment to take a test set from; give --inputs and --targets");
            var spec = experiment.Spec();
            if (!spec.EvaluatesTest)
                throw new ExperimentException(experiment.File, "data.seal_test", "the test set is sealed from every run but the final one, which evaluates it once (sparta train --final); give --inputs and --targets");
            data = ExperimentData.LoadTest(spec.Data, loss, experiment.Directory, saved)
                ?? throw new ArgumentException($"{experiment.File}: the experiment has no test set; give --inputs and --targets");
            batchSize = ExperimentRunner.EvaluationBatchSize(spec);
        }
        else
        {
            if (inputs is null || targets is null) throw new ArgumentException("evaluate: give both the inputs and the targets, or neither (the experiment's test set)");
            var prepared = saved.PrepareInputs(inputs);
            if (targets.Rank == 0 || targets.Shape[0] != prepared[0].Shape[0])
                throw new ArgumentException($"evaluate: the targets have shape {targets.Shape}, expected {prepared[0].Shape[0]} samples like the inputs");
            data = ExperimentData.Assemble(saved.Model.InputNames.Zip(prepared).ToArray(), targets, "targets", classes, classCount);
            if (classes && data.ClassCount > classCount)
                throw new ArgumentException($"evaluate: the targets hold class {data.ClassCount - 1}, but model '{saved.Model.Name}' has {classCount} classes");
        }
        return Trainer.Evaluate(saved.Model, loss, metrics, data, batchSize);
    }
}
