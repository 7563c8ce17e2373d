using Sparta.Diagnostics;
using Sparta.Experiments;
using Sparta.Losses;
using Sparta.Optimizers;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta doctor EXP.yaml</c>: the sanity checks of <see cref="SanityChecks"/> on an experiment's
/// model, loss, optimizer and training data, before spending time on the full run. Exit code 1 when one fails.
/// </summary>
public sealed class DoctorCommand : ICommand
{
    public string Name => "doctor";
    public string Summary => "sanity checks before a run: sparta doctor EXP.yaml [--set key=value]... [--subset 20] [--max-epochs 300]";

    public int Run(Arguments args, TextWriter output)
    {
        if (args.Positional.Count != 1) throw new UsageException($"expected one experiment file, got {args.Positional.Count} arguments");
        var experiment = Experiment.Load(args.Positional[0]);
        foreach (string assignment in args.All("set")) experiment = TrainCommand.Override(experiment, assignment);
        int subset = args.Int("subset", 20, 2, 100_000);
        int maxEpochs = args.Int("max-epochs", 300, 1, 100_000);
        args.RejectUnknown("doctor");

        var spec = experiment.Spec();
        var loss = LossRegistry.Create(spec.Loss);
        var data = ExperimentData.Load(spec.Data, loss, experiment.Directory);
        var model = ExperimentModel.Build(spec.Model, spec.Seed, data.Train);
        Optimizer CreateOptimizer() => OptimizerRegistry.Create(spec.Optimizer) as Optimizer
            ?? throw new ArgumentException($"doctor: optimizer '{spec.Optimizer.Name}' works on the full batch; the checks train with mini-batches");
        var checks = SanityChecks.Run(model, loss, CreateOptimizer, data.Train, subset, maxEpochs, seed: spec.Seed);
        foreach (var check in checks) output.WriteLine(check);
        return checks.Any(c => c.Passed == false) ? 1 : 0;
    }
}
