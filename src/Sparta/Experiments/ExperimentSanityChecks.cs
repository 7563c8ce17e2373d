using Sparta.Diagnostics;
using Sparta.Losses;

namespace Sparta.Experiments;

/// <summary>
/// <c>sparta doctor EXP.yaml</c>: the <see cref="SanityChecks"/> on the experiment's own model, loss,
/// optimizer (mini-batch, or L-BFGS on the subset as one batch) and training data, before the run.
/// </summary>
public static class ExperimentSanityChecks
{
    /// <summary>The epochs the tiny subset is given to be learned by heart (one batch, so one update an epoch; for L-BFGS a whole minimization).</summary>
    public const int OverfitEpochs = 300;

    public static IReadOnlyList<SanityChecks.Check> Run(ExperimentSpec spec, string directory, int subset = 20, int maxEpochs = OverfitEpochs)
    {
        if (spec.Outputs is { } outputs)
            throw new ArgumentException($"model.outputs: the sanity checks follow the loss of a one-output model, and this one has {outputs.Count} outputs ({string.Join(", ", outputs.Select(o => o.Name))})");
        var loss = LossRegistry.Create(spec.Loss);
        var data = ExperimentData.Load(spec.Data, loss, directory, spec.Seed);
        var model = new ExperimentRunner(spec, directory).NewModel(data.Train, spec.Seed);
        return SanityChecks.Run(model, OutputObjective.Create(spec.Loss, model), () => ExperimentRunner.CreateOptimizer(spec.Optimizer), data.Train, subset,
            maxEpochs, seed: spec.Seed);
    }
}
