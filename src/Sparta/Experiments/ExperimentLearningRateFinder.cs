using Sparta.Configuration;
using Sparta.Diagnostics;
using Sparta.Losses;

namespace Sparta.Experiments;

/// <summary>
/// The learning-rate range test (<see cref="LearningRateFinder"/>) on an experiment's own model (LSUV
/// included), loss, optimizer, batch size, seed and preprocessed training data: the optimizer's
/// learning rate is replaced by the exponential ramp from <c>start</c> to <c>end</c>.
/// </summary>
public static class ExperimentLearningRateFinder
{
    /// <summary>What <c>sparta lab lr-finder</c> tests without a file: the slides' MLP (784-100-10, ReLU) on Fashion-MNIST scaled to [0, 1], plain SGD.</summary>
    public const string DefaultExperiment = """
        name: lr-finder
        batch_size: 128
        data: {dataset: fashion-mnist, preprocessing: [{name: min_max, scope: all}]}
        model: {layers: [flatten, {name: dense, units: 100, activation: relu}, {name: dense, units: 10}]}
        loss: sparse_categorical_crossentropy
        optimizer: sgd
        """;

    /// <summary>Rates tried at least: a small training set is passed over more than once, so the sweep is not a dozen points.</summary>
    public const int MinSteps = 100;

    /// <summary>One rate per batch, over one pass of the training set or <see cref="MinSteps"/> batches if that is more.</summary>
    public static LearningRateFinder.Result Run(ExperimentSpec spec, string directory, double start = 1e-6, double end = 10)
    {
        // Checked on the file's own rate, before a ramp stands in for it (which L-BFGS's config would not take).
        ExperimentRunner.CreateMiniBatchOptimizer(spec.Optimizer, "the learning-rate finder");
        if (spec.Outputs is { } outputs)
            throw new ArgumentException($"model.outputs: the learning-rate finder follows the loss of a one-output model, and this one has {outputs.Count} outputs ({string.Join(", ", outputs.Select(o => o.Name))})");
        var loss = LossRegistry.Create(spec.Loss);
        var data = ExperimentData.Load(spec.Data, loss, directory, spec.Seed);
        var model = new ExperimentRunner(spec, directory).NewModel(data.Train, spec.Seed);
        var parameters = spec.Optimizer.Parameters.Where(p => p.Key != "learning_rate").ToList();
        return LearningRateFinder.Run(model, OutputObjective.Create(spec.Loss, model),
            ramp => ExperimentRunner.CreateMiniBatchOptimizer(new ComponentConfig(spec.Optimizer.Name, parameters.Append(new("learning_rate", ramp.GetConfig()))), "the learning-rate finder"),
            data.Train, spec.BatchSize, start, end, Math.Max(MinSteps, new Data.BatchLoader(data.Train, spec.BatchSize).BatchesPerEpoch), seed: spec.Seed);
    }
}
