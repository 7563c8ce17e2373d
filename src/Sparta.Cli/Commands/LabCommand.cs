namespace Sparta.Cli.Commands;

/// <summary><c>sparta lab NAME ...</c>: the slides' experiments, one command each, printing what the slides print.</summary>
public sealed class LabCommand : ICommand
{
    public string Name => "lab";
    public string Summary => "reproduce the slides' experiments: lab init-stats [--layers 10 --units 500 --samples 10000 --activation tanh --init normal:0.01 --seed S --svg DIR]; lab optimizers [--steps N --svg FILE]; lab lr-finder [--dataset fashion-mnist --optimizer sgd|momentum|adam --batch 128 --start 1e-6 --end 10 --svg FILE]; lab learning-rate EXP.yaml [--rates 1e-6,1e-1,1e-3] [--epochs N] [--set key=value]...";

    public int Run(Arguments args, TextWriter output)
    {
        string what = args.Positional.Count > 0 ? args.Positional[0] : throw new UsageException("which lab? expected 'init-stats', 'optimizers', 'lr-finder' or 'learning-rate'");
        return what switch
        {
            "init-stats" => LabInitStats.Run(args, output),
            "optimizers" => LabOptimizers.Run(args, output),
            "lr-finder" => LabLearningRateFinder.Run(args, output),
            "learning-rate" => LabLearningRate.Run(args, output),
            _ => throw new UsageException($"unknown lab '{what}' (known: init-stats, optimizers, lr-finder, learning-rate)"),
        };
    }
}
