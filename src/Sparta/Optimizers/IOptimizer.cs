using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Optimizers;

/// <summary>
/// What every optimizer shares: a registered name, a config that recreates it, and the state a
/// checkpoint keeps. First-order optimizers derive from <see cref="Optimizer"/> (one step per
/// mini-batch); <see cref="Lbfgs"/> minimizes a full-batch closure (a Trainer runs it once per epoch).
/// </summary>
public interface IOptimizer
{
    string Name { get; }

    ComponentConfig GetConfig();

    /// <summary>Updates done so far (steps, or L-BFGS iterations).</summary>
    long Iterations { get; }

    /// <summary>The rate the next update starts from (logged as <c>learning_rate</c>).</summary>
    double CurrentLearningRate { get; }

    OptimizerState ExportState();

    /// <summary>Restores a checkpoint's state for these parameters.</summary>
    void ImportState(OptimizerState state, IReadOnlyList<Parameter> parameters);
}
