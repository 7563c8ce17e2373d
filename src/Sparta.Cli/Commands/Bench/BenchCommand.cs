namespace Sparta.Cli.Commands;

/// <summary><c>sparta bench WHAT</c>: measurements of the kernels, the data pipeline, the optimizers and training.</summary>
public sealed class BenchCommand() : SpartaCommandGroup("bench", "Measure the kernels, the data pipeline, an optimizer step, a training epoch or the dashboard.",
    new BenchGemmCommand(),
    new BenchConvCommand(),
    new BenchDataCommand(),
    new BenchOptimizerCommand(),
    new BenchTrainCommand(),
    new BenchPredictCommand(),
    new BenchZooCommand(),
    new BenchDashboardCommand());
