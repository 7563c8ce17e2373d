namespace Sparta.Tuning.Pruners;

/// <summary>Decides, from the values a trial reported so far, whether to stop it (Optuna's BasePruner).</summary>
public interface IPruner
{
    bool Prune(Study study, FrozenTrial trial);
}

/// <summary>Never prunes.</summary>
public sealed class NopPruner : IPruner
{
    public const string RegisteredName = "none";

    public bool Prune(Study study, FrozenTrial trial) => false;
}
