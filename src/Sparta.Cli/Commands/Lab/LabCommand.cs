namespace Sparta.Cli.Commands;

/// <summary><c>sparta lab NAME ...</c>: the slides' experiments, one command each, printing what the slides print.</summary>
public sealed class LabCommand() : SpartaCommandGroup("lab", "Reproduce the slides' experiments: initialization statistics, optimizers, the learning-rate finder, the learning rate, transfer learning.",
    new LabInitStatsCommand(),
    new LabOptimizersCommand(),
    new LabLearningRateFinderCommand(),
    new LabLearningRateCommand(),
    new LabTransferCommand());
