using System.Globalization;
using Sparta.Experiments;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta train EXP.yaml [--epochs N] [--threads T] [--seed S] [--set key.path=value]... [--out DIR]</c>:
/// trains an experiment file, writes its run directory and prints last the result line.
/// </summary>
public sealed class TrainCommand : ICommand
{
    public string Name => "train";
    public string Summary => "train an experiment file: sparta train EXP.yaml [--epochs N] [--seed S] [--set key=value]... [--out DIR]";
    public IReadOnlySet<string> Flags => new HashSet<string> { "quiet" };

    public int Run(Arguments args, TextWriter output)
    {
        if (args.Positional.Count != 1) throw new UsageException($"expected one experiment file, got {args.Positional.Count} arguments");
        var experiment = Experiment.Load(args.Positional[0]);
        foreach (string assignment in args.All("set")) experiment = Override(experiment, assignment);
        if (args.String("epochs") is not null) experiment = experiment.With("epochs", args.Int("epochs", 1, 1).ToString(CultureInfo.InvariantCulture));
        if (args.String("seed") is not null) experiment = experiment.With("seed", args.Int("seed", 0, 0).ToString(CultureInfo.InvariantCulture));
        int threads = args.Int("threads", Parallelism.ThreadCount, 1, 1024);
        string? outDirectory = args.String("out");
        bool quiet = args.Flag("quiet");
        args.RejectUnknown("train");

        var spec = experiment.Spec();
        string directory = outDirectory ?? RunDirectory.Default("runs", spec.Name, spec.Seed);
        RunDirectory.CheckFree(directory);
        Parallelism.ThreadCount = threads;
        var result = new ExperimentRunner(spec, experiment.Directory).Run(output, verbose: !quiet);
        RunDirectory.Write(directory, experiment, result);
        output.WriteLine($"run {directory}");
        output.WriteLine(RunDirectory.ResultLine(result));
        return 0;
    }

    /// <summary><c>--set optimizer.learning_rate=0.01</c>: the value is read as YAML (a number, a name, or {flow: mapping}).</summary>
    internal static Experiment Override(Experiment experiment, string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0) throw new UsageException($"--set expects key.path=value, got '{assignment}'");
        return experiment.With(assignment[..eq].Trim(), assignment[(eq + 1)..].Trim());
    }
}
