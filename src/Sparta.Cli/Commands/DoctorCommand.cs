using System.CommandLine;
using Sparta.Diagnostics;
using Sparta.Experiments;
using Sparta.Reports;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta doctor EXP.yaml</c>: the sanity checks of <see cref="SanityChecks"/> on an experiment's
/// model, loss, optimizer and training data, before spending time on the full run.
/// <c>sparta doctor RUN_DIR</c>: what <see cref="Doctor"/> reads in a finished run (history.json, and
/// diagnostics.json when the run recorded it). Exit code 1 when a check fails or a problem is found.
/// </summary>
public sealed class DoctorCommand : SpartaCommand
{
    private readonly Argument<string> _target = new("EXP.yaml|RUN_DIR") { Description = "an experiment file to check before training, or a run directory to read" };
    private readonly ExperimentOptions _experiment;
    private readonly Option<int> _subset = OptionFactory.Int("--subset", "samples the model must be able to overfit", 20, 2, 100_000);
    private readonly Option<int> _maxEpochs = OptionFactory.Int("--max-epochs", "epochs allowed to overfit the subset", ExperimentSanityChecks.OverfitEpochs, 1, 100_000);
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public DoctorCommand() : base("doctor", "Sanity checks before a run (EXP.yaml), or what went wrong in a finished one (RUN_DIR); exit code 1 when a check fails.",
        "sparta doctor examples/fashion-mnist-mlp.yaml --set data.train_samples=2000",
        "sparta doctor runs/fashion-mnist-mlp-seed0")
    {
        Add(_target);
        _experiment = new ExperimentOptions(this, epochs: false);
        Add(_subset);
        Add(_maxEpochs);
        Add(_threads);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string target = parse.GetValue(_target)!;
        Parallelism.ThreadCount = parse.GetValue(_threads);
        bool badWidth = ReportVectorWidth(output);
        int code;
        if (!Directory.Exists(target)) code = CheckExperiment(_experiment.Load(parse, target), parse.GetValue(_subset), parse.GetValue(_maxEpochs), output);
        else
        {
            var given = new Option[] { _experiment.Set, _subset, _maxEpochs }.FirstOrDefault(parse.Given);
            if (given is not null) throw new UsageException($"option {given.Name} checks an experiment file; '{target}' is a run directory");
            code = ReadRun(target, output);
        }
        return badWidth ? 1 : code;
    }

    /// <summary>
    /// A bad <see cref="VectorWidth.Variable"/> stops every other command; here it is a problem found, and the checks run at
    /// the processor's width. Returns whether there was one.
    /// </summary>
    private static bool ReportVectorWidth(TextWriter output)
    {
        if (VectorWidth.Problem is not { } problem) return false;
        output.WriteLine(new SanityChecks.Check("vector width", false, $"{problem}; other commands refuse to run, these checks ran at the processor's {VectorWidth.Hardware} bits"));
        VectorWidth.UseHardware();
        return true;
    }

    private static int CheckExperiment(Experiment experiment, int subset, int maxEpochs, TextWriter output)
    {
        var checks = ExperimentSanityChecks.Run(experiment.Spec(), experiment.Directory, subset, maxEpochs);
        foreach (var check in checks) output.WriteLine(check);
        return checks.Any(c => c.Passed == false) ? 1 : 0;
    }

    private static int ReadRun(string directory, TextWriter output)
    {
        var run = RunFiles.Load(directory);
        var (history, diagnostics) = (run.History, run.Diagnostics);

        output.WriteLine($"run {directory}: {history.Epochs.Count} epochs" + (diagnostics is null
            ? $"; no {RunDiagnostics.FileName} (trained with diagnostics: false), so the History alone is read"
            : $"; {diagnostics.Activations.Count} activation inspections, {diagnostics.Updates.Count} epochs of update ratios"));
        var findings = Doctor.Diagnose(history, diagnostics, run.FirstBatchLoss);
        foreach (var finding in findings) output.WriteLine(finding);
        if (findings.Count == 0) output.WriteLine("no problem found");
        return findings.Count > 0 ? 1 : 0;
    }
}
