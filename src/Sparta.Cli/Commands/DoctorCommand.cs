using Sparta.Diagnostics;
using Sparta.Experiments;
using Sparta.Losses;
using Sparta.Optimizers;
using Sparta.Reports;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta doctor EXP.yaml</c>: the sanity checks of <see cref="SanityChecks"/> on an experiment's
/// model, loss, optimizer and training data, before spending time on the full run.
/// <c>sparta doctor RUN_DIR</c>: what <see cref="Doctor"/> reads in a finished run (history.json, and
/// diagnostics.json when the run recorded it). Exit code 1 when a check fails or a problem is found.
/// </summary>
public sealed class DoctorCommand : ICommand
{
    public string Name => "doctor";
    public string Summary => "sanity checks before a run, or what went wrong in a finished one: sparta doctor EXP.yaml [--set key=value]... [--subset 20] [--max-epochs 300] | sparta doctor RUN_DIR";

    public int Run(Arguments args, TextWriter output)
    {
        if (args.Positional.Count != 1) throw new UsageException($"expected one experiment file or run directory, got {args.Positional.Count} arguments");
        string target = args.Positional[0];
        return Directory.Exists(target) ? ReadRun(target, args, output) : CheckExperiment(target, args, output);
    }

    private static int CheckExperiment(string file, Arguments args, TextWriter output)
    {
        var experiment = Experiment.Load(file);
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

    private static int ReadRun(string directory, Arguments args, TextWriter output)
    {
        args.RejectUnknown("doctor RUN_DIR");
        var run = RunFiles.Load(directory);
        var (history, diagnostics) = (run.History, run.Diagnostics);

        output.WriteLine($"run {directory}: {history.Epochs.Count} epochs" + (diagnostics is null
            ? $"; no {RunDiagnostics.FileName} (trained with diagnostics: false), so the History alone is read"
            : $"; {diagnostics.Activations.Count} activation inspections, {diagnostics.Updates.Count} epochs of update ratios"));
        var findings = Doctor.Diagnose(history, diagnostics);
        foreach (var finding in findings) output.WriteLine(finding);
        if (findings.Count == 0) output.WriteLine("no problem found");
        return findings.Count > 0 ? 1 : 0;
    }
}
