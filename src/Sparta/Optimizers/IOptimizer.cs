using Sparta.Configuration;

namespace Sparta.Optimizers;

/// <summary>
/// What every optimizer shares: a registered name and a config that recreates it. First-order
/// optimizers derive from <see cref="Optimizer"/> (one step per mini-batch); <see cref="Lbfgs"/>
/// minimizes a full-batch closure.
/// </summary>
public interface IOptimizer
{
    string Name { get; }

    ComponentConfig GetConfig();
}
