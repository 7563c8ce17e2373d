using Sparta.Configuration;
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
    /// <paramref name="targets"/>, preprocessed and shaped as in training (one-hot rows with
    /// <c>data.one_hot</c>; the preprocessed inputs themselves, with no targets needed, with
    /// <c>data.inputs_as_targets</c>); with neither, on the test set of the model's experiment.
    /// </summary>
    /// <remarks>
    /// <paramref name="loss"/> and <paramref name="metrics"/> replace the recorded ones (every output's, for a model
    /// with several); a file that records none (an ONNX file) is scored by what its output is (<see cref="OutputObjective"/>).
    /// </remarks>
    /// <param name="outputTargets">For a model with several outputs, each output's targets by output name (instead of <paramref name="targets"/>).</param>
    /// <param name="outputScoring">The loss, weight and metrics of some outputs by name, instead of the recorded ones (a one-output model takes no weight).</param>
    public static Dictionary<string, double> Evaluate(SavedModel saved, IReadOnlyDictionary<string, Tensor>? inputs = null, Tensor? targets = null,
        ComponentConfig? loss = null, IReadOnlyList<ComponentConfig>? metrics = null, IReadOnlyDictionary<string, Tensor>? outputTargets = null,
        OutputScoring? outputScoring = null)
    {
        if (saved.Model.OutputNames.Count > 1)
            return EvaluateOutputs(saved, inputs, targets, outputTargets, OutputObjective.ForOutputs(saved, loss, metrics, outputScoring));
        if (outputTargets is not null)
            throw new ArgumentException($"--targets: model '{saved.Model.Name}' has one output; give its targets as one SPEC, not OUTPUT=SPEC");
        if (outputScoring is { IsEmpty: false }) (loss, metrics) = ForOnlyOutput(saved.Model, outputScoring, loss, metrics);
        var recorded = saved.Objective ?? OutputObjective.Infer(saved.Model);
        var lossConfig = (loss is null ? null : OutputObjective.Loss(loss, saved.Model)) ?? recorded?.Loss
            ?? throw new ModelFileException(saved.Path, "records no loss and its output is not a softmax, so the loss to evaluate is unknown; name one (--loss)");
        var metricConfigs = metrics ?? (loss is null ? recorded?.Metrics : null) ?? OutputObjective.DefaultMetrics(lossConfig);
        return Score(saved, inputs, targets, lossConfig, metricConfigs);
    }

    /// <summary>
    /// The loss and metrics <paramref name="scoring"/> names for a one-output model's output (<c>--loss OUTPUT=LOSS</c>, as a
    /// model with several takes), which win over those given for every output; a name the model lacks is one line, and so is a
    /// weight, which the only loss has nothing to be weighed against.
    /// </summary>
    private static (ComponentConfig? Loss, IReadOnlyList<ComponentConfig>? Metrics) ForOnlyOutput(Models.Model model, OutputScoring scoring,
        ComponentConfig? loss, IReadOnlyList<ComponentConfig>? metrics)
    {
        scoring.CheckNames(model);
        string name = model.OutputNames[0];
        if (scoring.Weights is { Count: > 0 })
            throw new ArgumentException($"--loss-weights: model '{model.Name}' has one output, '{name}', whose loss has no other to be weighed against; got {name}={Scalars.Format(scoring.Weights[name])}");
        return (scoring.Losses?.GetValueOrDefault(name) ?? loss, scoring.Metrics?.GetValueOrDefault(name) ?? metrics);
    }

    private static Dictionary<string, double> Score(SavedModel saved, IReadOnlyDictionary<string, Tensor>? inputs, Tensor? targets,
        ComponentConfig lossConfig, IReadOnlyList<ComponentConfig> metricConfigs)
    {
        var loss = LossRegistry.Create(lossConfig);
        var metrics = metricConfigs.Select(MetricRegistry.Create).ToArray();
        var spec = saved.Experiment?.Spec();
        var dataSpec = spec?.Data;
        Dataset data;
        int batchSize = spec is null ? 256 : ExperimentRunner.EvaluationBatchSize(spec);
        if (inputs is null && targets is null) data = TestSet(saved, loss);
        else
        {
            if (inputs is null) throw new ArgumentException("evaluate: the targets are given without the inputs they belong to; give the inputs too");
            data = Samples(saved, loss, dataSpec, saved.PrepareInputs(inputs), targets);
        }
        return Trainer.Evaluate(saved.Model, loss, metrics, data, batchSize);
    }

    /// <summary>
    /// A model with several outputs is scored by each output's loss and metrics (<c>OUTPUT_loss</c>, <c>OUTPUT_METRIC</c>)
    /// and their weighted sum (<c>loss</c>), <paramref name="outputs"/> (as it was trained, unless told otherwise), on the
    /// test set of its experiment, which holds a target per output, or on the given inputs with each output's targets
    /// (Keras' <c>evaluate(x, {"a": ya, "b": yb})</c>).
    /// </summary>
    private static Dictionary<string, double> EvaluateOutputs(SavedModel saved, IReadOnlyDictionary<string, Tensor>? inputs, Tensor? targets,
        IReadOnlyDictionary<string, Tensor>? outputTargets, IReadOnlyList<OutputSpec> outputs)
    {
        var names = string.Join(", ", saved.Model.OutputNames);
        if (targets is not null)
            throw new ArgumentException($"--targets: model '{saved.Model.Name}' has {saved.Model.OutputNames.Count} outputs ({names}); give each its targets as OUTPUT=SPEC");
        var spec = saved.Experiment?.Spec();
        var data = inputs is null && outputTargets is null ? TestSet(saved, LossRegistry.Create(outputs[0].Loss), outputs)
            : OutputSamples(saved, outputs, inputs ?? throw new ArgumentException("evaluate: the targets are given without the inputs they belong to; give the inputs too"),
                outputTargets ?? throw new ArgumentException($"--targets: give each output of model '{saved.Model.Name}' its targets as OUTPUT=SPEC ({names})"));
        return Trainer.Evaluate(saved.Model, ExperimentRunner.CreateOutputLosses(outputs, saved.Model), data, spec is null ? 256 : ExperimentRunner.EvaluationBatchSize(spec));
    }

    /// <summary>The prepared inputs with each output's targets: class labels for an output trained on classes, values otherwise.</summary>
    private static Dataset OutputSamples(SavedModel saved, IReadOnlyList<OutputSpec> outputs, IReadOnlyDictionary<string, Tensor> inputs,
        IReadOnlyDictionary<string, Tensor> outputTargets)
    {
        var model = saved.Model;
        foreach (string name in outputTargets.Keys)
            if (!model.OutputNames.Contains(name))
                throw new ArgumentException($"--targets: model '{model.Name}' has no output '{name}' (its outputs: {string.Join(", ", model.OutputNames)})");
        var prepared = model.InputNames.Zip(saved.PrepareInputs(inputs)).ToArray();
        int samples = prepared[0].Second.Shape[0];
        // An output trained on an input of its registered set (data.targets) takes that input, as preprocessed, unless given targets.
        var trainedOnInput = saved.Experiment?.Spec().Data.DatasetTargets?.Where(t => t.Source != DataSpec.SetTarget).ToDictionary(t => t.Output, t => t.Source)
            ?? new Dictionary<string, string>();
        return Dataset.PerOutput(prepared, outputs.Select(output =>
        {
            if (!outputTargets.ContainsKey(output.Name) && trainedOnInput.TryGetValue(output.Name, out var input))
                return (output.Name, new Dataset(prepared, prepared.Single(p => p.First == input).Second));
            var given = outputTargets.GetValueOrDefault(output.Name)
                ?? throw new ArgumentException($"--targets: output '{output.Name}' has no targets; give {output.Name}=SPEC (model '{model.Name}' has outputs {string.Join(", ", model.OutputNames)})");
            if (given.Rank == 0 || given.Shape[0] != samples)
                throw new ArgumentException($"--targets: output '{output.Name}': the targets have shape {given.Shape}, expected {samples} samples like the inputs");
            int classCount = model.OutputShapes[model.OutputNames.ToList().IndexOf(output.Name)].Size;
            var targets = ExperimentData.Assemble(prepared, given, $"targets of output '{output.Name}'", output.TakesClasses, classCount);
            if (output.TakesClasses && targets.ClassCount > classCount)
                throw new ArgumentException($"--targets: output '{output.Name}': the targets hold class {targets.ClassCount - 1}, but the output has {classCount} classes");
            return (output.Name, targets);
        }).ToArray());
    }

    /// <summary>The test set of the experiment the model was trained from, prepared as training prepared it.</summary>
    private static Dataset TestSet(SavedModel saved, Loss loss, IReadOnlyList<OutputSpec>? outputs = null)
    {
        var experiment = saved.Experiment
            ?? throw new ModelFileException(saved.Path, "records no experiment to take a test set from; give --inputs and --targets");
        var spec = experiment.Spec();
        if (!spec.EvaluatesTest)
            throw new ExperimentException(experiment.File, "data.seal_test", "the test set is sealed from every run but the final one, which evaluates it once (sparta train --final); give --inputs and --targets");
        return ExperimentData.LoadTest(spec.Data, loss, experiment.Directory, saved, outputs)
            ?? throw new ArgumentException($"{experiment.File}: the experiment has no test set; give --inputs and --targets");
    }

    /// <summary>The prepared inputs with their targets, shaped as the model's experiment shaped them in training.</summary>
    private static Dataset Samples(SavedModel saved, Loss loss, DataSpec? spec, Tensor[] prepared, Tensor? targets)
    {
        var inputs = saved.Model.InputNames.Zip(prepared).ToArray();
        if (spec is { InputsAsTargets: true })
            return ExperimentData.Targets(spec, new Dataset(inputs, prepared[0]));
        if (targets is null)
            throw new ArgumentException("evaluate: give the targets of the inputs (only a model trained with data.inputs_as_targets takes its inputs as targets)");
        if (targets.Rank == 0 || targets.Shape[0] != prepared[0].Shape[0])
            throw new ArgumentException($"evaluate: the targets have shape {targets.Shape}, expected {prepared[0].Shape[0]} samples like the inputs");
        bool oneHot = spec is { OneHot: true };
        bool classes = loss is CategoricalCrossEntropy or SparseCategoricalCrossEntropy || oneHot;
        int classCount = saved.Model.OutputShape.Size;
        var data = ExperimentData.Assemble(inputs, targets, "targets", classes, classCount);
        if (classes && data.ClassCount > classCount)
            throw new ArgumentException($"evaluate: the targets hold class {data.ClassCount - 1}, but model '{saved.Model.Name}' has {classCount} classes");
        return spec is null ? data : ExperimentData.Targets(spec, data);
    }
}
