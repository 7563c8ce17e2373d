using System.CommandLine;
using Sparta.Experiments;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta train EXP.yaml [--epochs N] [--threads T] [--seed S] [--set key.path=value]... [--out DIR] [--resume RUN_DIR] [--final]</c>:
/// trains an experiment file (or continues a run of it), writes its run directory and prints last the result line.
/// <c>--final</c> is <c>--set final=true</c>: the run that evaluates the test set <c>data.seal_test</c> keeps sealed.
/// </summary>
public sealed class TrainCommand : SpartaCommand
{
    private readonly Argument<string> _file = new("EXP.yaml") { Description = "the experiment file" };
    private readonly ExperimentOptions _experiment;
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);
    private readonly Option<bool> _quiet = CommonOptions.Quiet();
    private readonly Option<string?> _out = OptionFactory.OptionalText("--out", "the run directory (default: runs/NAME-seedS, numbered when taken)", "DIR");
    private readonly Option<bool> _noWarmup = OptionFactory.Flag("--no-warmup",
        "compile the training step in the first epoch, not on another thread while the data is prepared");
    private readonly Option<bool> _final = OptionFactory.Flag("--final", "the final run: evaluate the test set that data.seal_test keeps sealed, once (the same as --set final=true)");
    private readonly Option<string?> _resume = OptionFactory.OptionalText("--resume",
        "continue a run from its checkpoint (weights, optimizer state, schedule, data order, random streams) up to --epochs; the experiment must be the run's but for epochs", "RUN_DIR|CHECKPOINT.sparta");

    public TrainCommand() : base("train", "Train an experiment file; writes a run directory (model, history, report) and prints the result line.",
        "sparta train examples/fashion-mnist-mlp.yaml",
        "sparta train examples/fashion-mnist-mlp.yaml --epochs 2 --set optimizer.learning_rate=0.01 --out runs/lr-0.01",
        "sparta train examples/fashion-mnist-mlp.yaml --resume runs/fashion-mnist-mlp-seed42 --epochs 10",
        "sparta train examples/tutorial.yaml --final")
    {
        Add(_file);
        _experiment = new ExperimentOptions(this, seed: true);
        Add(_threads);
        Add(_quiet);
        Add(_out);
        Add(_resume);
        Add(_final);
        Add(_noWarmup);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        var experiment = _experiment.Load(parse, parse.GetValue(_file)!, parse.GetValue(_final) ? [new("final", "true")] : null);
        var spec = experiment.Spec();
        var resume = parse.GetValue(_resume) is { } checkpoint ? Resumption.Open(checkpoint, experiment) : null;
        string directory = parse.GetValue(_out) ?? RunDirectory.Default("runs", spec.Name, spec.Seed);
        Parallelism.ThreadCount = parse.GetValue(_threads);
        using var live = LiveRun.Begin(directory, experiment);
        var result = new ExperimentRunner(experiment).Run(output, [live], verbose: !parse.GetValue(_quiet), resume: resume,
            warmup: !parse.GetValue(_noWarmup));
        live.Complete(result);
        output.WriteLine($"run {directory}");
        output.WriteLine(RunDirectory.ResultLine(result));
        return 0;
    }
}
