using System.Globalization;
using Sparta.Experiments;
using Sparta.Metrics;
using Sparta.Serialization;
using Sparta.Training;
using Sparta.Training.Callbacks;
using Sparta.Tuning;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Output;
using Sparta.Tuning.Pruners;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta tune EXP.yaml --trials N [--sampler S] [--pruner P] [--seed S] [--storage URL] [--study NAME]
/// [--workers W] [--best-out BEST.yaml] [--rerun K]</c>: searches the
/// distributions of an experiment file. Each trial samples them, trains the resolved experiment
/// with the trial's seed and reports the validation metric after every epoch, so a pruner can stop
/// it early; the trial's value is the last epoch's validation metric (the first metric, else the loss).
/// <c>--best-out</c> writes the best trial as a ready experiment file; <c>--rerun K</c> trains
/// stored trial K again with its parameters and seed.
/// </summary>
internal sealed class ExperimentObjective
{
    private readonly Experiment _experiment;
    private readonly TextWriter _output;

    internal ExperimentObjective(Experiment experiment, TextWriter output)
    {
        _experiment = experiment;
        _output = output;
        var spec = experiment.Resolve(p => p.First).Spec();
        if (!(spec.Data.ValidationSplit > 0))
            throw new ExperimentException(experiment.File, "data.validation_split", "tuning compares trials on held-out data; set a fraction such as 0.1");
        Space = experiment.SearchSpace.ToDictionary(p => p.Path, ToDistribution);
        var metric = spec.Metrics.Count > 0 ? MetricRegistry.Create(spec.Metrics[0]) : null;
        Monitor = "val_" + (metric?.Name ?? "loss");
        Direction = metric?.HigherIsBetter == true ? StudyDirection.Maximize : StudyDirection.Minimize;
    }

    public IReadOnlyDictionary<string, Distribution> Space { get; }
    public string Monitor { get; }
    public StudyDirection Direction { get; }

    public static bool IsExperimentFile(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>What <c>sparta tune EXP.yaml</c> was asked for.</summary>
    public sealed record Settings(int Trials, string Sampler, string Pruner, ulong Seed, string? BestOut, int? Rerun, TuneStorageOptions Storage);

    public static int Tune(Experiment experiment, Settings settings, TextWriter output)
    {
        if (experiment.SearchSpace.Count == 0)
            throw new ExperimentException(experiment.File, "", "has no distribution to search; write a value as {loguniform: [low, high]}, or train it with sparta train");

        var objective = new ExperimentObjective(experiment, output);
        var storage = settings.Storage;
        string studyName = storage.NameOr($"{Path.GetFileNameWithoutExtension(experiment.File)}-{settings.Sampler}-{settings.Seed}");
        if (settings.Rerun is int number) return objective.Rerun(storage, studyName, number);
        var study = new TuneStudyRun(storage, studyName, objective.Direction, settings.Seed, settings.Trials,
            workerSeed => objective.Sampler(settings.Sampler, workerSeed, settings.Trials), PrunerCatalog.Create(settings.Pruner),
            objective.Monitor, new TunedExperiment(experiment)).Run(objective.Evaluate, output);
        output.WriteLine(TrialLine.Best(study.BestTrial));
        if (settings.BestOut is string bestOut)
        {
            var best = objective.TrialExperiment(study.BestTrial, TuneRerun.Seed(study, study.BestTrial));
            AtomicText.Write(bestOut, best.MovedTo(Path.GetDirectoryName(Path.GetFullPath(bestOut))!).ToYaml());
            output.WriteLine($"best configuration written to {bestOut}");
        }
        return 0;
    }

    /// <summary>The sampler called <paramref name="name"/>; a grid over a conditional space lists the configurations its choices allow.</summary>
    internal ISampler Sampler(string name, ulong seed, int trials) =>
        name == "grid" && _experiment.SearchSpace.Any(p => p.Condition is not null)
            ? ConditionalGrid.Create(_experiment.SearchSpace, ToDistribution, trials, seed)
            : SamplerCatalog.Create(name, seed, Space, trials);

    /// <summary>One trial: samples the distributions, trains the resolved experiment, returns the monitored value.</summary>
    public double Evaluate(Trial trial) => Train(TunedExperiment.Seeded(Sample(_experiment, trial), trial.Seed), trial);

    /// <summary>
    /// The experiment with the trial's values drawn define-by-run, each distribution under its
    /// parameter name: a choice's label first, then only the chosen option's values; a repeat
    /// count first, then the values of that many copies.
    /// </summary>
    public static Experiment Sample(Experiment experiment, Trial trial) => experiment.Resolve(p => trial.Suggest(p.Path, ToDistribution(p)));

    /// <summary>Trains stored trial <paramref name="number"/> again and prints its value next to the stored one.</summary>
    private int Rerun(TuneStorageOptions storage, string studyName, int number)
    {
        var study = storage.Open(s => s.FindStudy(studyName) is null
            ? throw new UsageException($"option --rerun: no study '{studyName}' in {StorageUrl.Mask(storage.Url)} (name it with --study)")
            : Study.Load(studyName, s));
        var trial = TuneRerun.Find(study, number);
        ulong seed = TuneRerun.Seed(study, trial);
        TuneRerun.Print(trial, seed, Train(TrialExperiment(trial, seed), trial: null), _output);
        return 0;
    }

    /// <summary>The experiment a stored trial trained (<see cref="TunedExperiment.ForTrial"/>).</summary>
    private Experiment TrialExperiment(FrozenTrial trial, ulong seed) => new TunedExperiment(_experiment).ForTrial(trial, seed);

    /// <summary>Trains the experiment and returns the monitored value of its last epoch; a live trial gets each epoch's value.</summary>
    private double Train(Experiment resolved, Trial? trial)
    {
        var reporter = new EpochReporter(trial, Monitor);
        new ExperimentRunner(resolved.Spec(), resolved.Directory).Run(_output, [reporter], verbose: false, diagnose: false);
        return reporter.Last;
    }

    public static Distribution ToDistribution(SearchParameter p) => p.Kind switch
    {
        SearchKind.Choice => new CategoricalDistribution(p.Choices!),
        SearchKind.Int => new IntDistribution((long)p.Low, (long)p.High, p.Log, (long)(p.Step ?? 1)),
        _ => new FloatDistribution(p.Low, p.High, p.Log, p.Step),
    };

    /// <summary>Keeps the monitored value each epoch; with a trial, reports it and stops the trial when the pruner says so.</summary>
    private sealed class EpochReporter(Trial? trial, string monitor) : Callback
    {
        public double Last { get; private set; } = double.NaN;

        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
        {
            Last = logs[monitor];
            if (trial is null) return;
            trial.Report(Last, epoch);
            if (trial.ShouldPrune()) throw new TrialPruned(string.Create(CultureInfo.InvariantCulture, $"pruned at epoch {epoch} with {monitor}={Last:G6}"));
        }
    }
}
