using System.Globalization;
using Sparta.Configuration;
using Sparta.Experiments;
using Sparta.Metrics;
using Sparta.Training;
using Sparta.Training.Callbacks;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Experiments;

/// <summary>
/// The objective of a study over an experiment file's distributions: each trial samples them,
/// trains the resolved experiment with the trial's seed and reports the validation metric after
/// every epoch, so a pruner can stop it early; the trial's value is the last epoch's validation
/// metric (the file's first metric, else the loss), and the direction follows the metric.
/// <c>search.objectives</c> names other measures of the run instead, or several of them
/// (<see cref="RunMeasures"/>): a study of several objectives, whose trials are not pruned;
/// <c>search.constraints</c> bounds measures from above, recorded as each trial's constraints.
/// </summary>
public sealed class ExperimentObjective
{
    private readonly Experiment _experiment;
    private readonly TextWriter _log;

    /// <param name="log">Where the runs write their lines (the epoch lines are off; warnings and notes remain).</param>
    public ExperimentObjective(Experiment experiment, TextWriter? log = null)
    {
        if (experiment.SearchSpace.Count == 0)
            throw new ExperimentException(experiment.File, "", "has no distribution to search; write a value as {loguniform: [low, high]}, or train it with sparta train");
        _experiment = experiment;
        _log = log ?? TextWriter.Null;
        var spec = experiment.Resolve(p => p.First).Spec();
        if (!(spec.Data.ValidationSplit > 0))
            throw new ExperimentException(experiment.File, "data.validation_split", "tuning compares trials on held-out data; set a fraction such as 0.1");
        Space = experiment.SearchSpace.ToDictionary(p => p.Path, ToDistribution);
        var metrics = spec.Metrics.Select(m => (Metric?)MetricRegistry.Create(m)).ToArray();
        var metric = metrics.Length > 0 ? metrics[0] : null;
        Monitor = "val_" + (metric?.Name ?? "loss");
        var search = spec.Search;
        Objectives = search?.Objectives ?? [Monitor];
        var known = RunMeasures.Known(metrics);
        for (int k = 0; k < Objectives.Count; k++)
            if (!known.Contains(Objectives[k]))
                throw new ExperimentException(experiment.File, $"search.objectives.{k}", $"unknown measure '{Objectives[k]}'; {Suggest.Names(Objectives[k], known)}");
        foreach (var name in search?.Constraints?.Keys ?? [])
            if (!known.Contains(name))
                throw new ExperimentException(experiment.File, $"search.constraints.{name}", $"unknown measure '{name}'; {Suggest.Names(name, known)}");
        Directions = search?.Directions is { } given
            ? given.Select(StudyDirectionExtensions.Parse).ToArray()
            : Objectives.Select(o => RunMeasures.HigherIsBetter(o, metrics) ? StudyDirection.Maximize : StudyDirection.Minimize).ToArray();
        // A single objective that is a logged value is what the pruner watches.
        if (Objectives.Count == 1 && (Objectives[0].StartsWith("val_", StringComparison.Ordinal) || Objectives[0] == "loss")) Monitor = Objectives[0];
        Constraints = search?.Constraints ?? new Dictionary<string, double>();
        Epochs = spec.Epochs;
    }

    public Experiment Experiment => _experiment;

    /// <summary>Where a trial writes its run directory as it trains (<see cref="ExperimentSearchOptions.TrialRuns"/>); none when null.</summary>
    public string? TrialRuns { get; init; }

    /// <summary>The trial user attribute naming the run directory the trial wrote (the dashboard links the trial to it).</summary>
    public const string RunDirAttr = "run_dir";
    public IReadOnlyDictionary<string, Distribution> Space { get; }
    /// <summary>The logged value reported each epoch (for pruners and plots): the single objective when it is one, else the first metric's validation value.</summary>
    public string Monitor { get; }
    /// <summary>The measures a trial is judged by, in order: <c>[val_accuracy]</c> by default.</summary>
    public IReadOnlyList<string> Objectives { get; }
    /// <summary>Each objective's direction.</summary>
    public IReadOnlyList<StudyDirection> Directions { get; }
    /// <summary>The first objective's direction.</summary>
    public StudyDirection Direction => Directions[0];
    /// <summary>Upper bounds on measures: a trial whose measure exceeds its bound is infeasible.</summary>
    public IReadOnlyDictionary<string, double> Constraints { get; }
    /// <summary>The file's epochs (a search may not change them).</summary>
    public int Epochs { get; }

    /// <summary>A seeded sampler from <paramref name="factory"/>; a grid (by <paramref name="config"/>'s name) over a conditional space lists the configurations its choices allow.</summary>
    public ISampler Sampler(ComponentConfig config, SamplerFactory factory, ulong seed, int trials) =>
        config.Name == GridSampler.RegisteredName && _experiment.SearchSpace.Any(p => p.Condition is not null)
            ? ConditionalGrid.Create(_experiment.SearchSpace, ToDistribution, trials, seed)
            : factory(seed, Space, trials);

    /// <summary>One trial: samples the distributions, trains the resolved experiment, returns the first objective's value.</summary>
    public double Evaluate(Trial trial) => EvaluateObjectives(trial)[0];

    /// <summary>One trial: samples the distributions, trains the resolved experiment, records its constraints and returns every objective's value.</summary>
    public IReadOnlyList<double> EvaluateObjectives(Trial trial) => Measure(TunedExperiment.Seeded(Sample(_experiment, trial), trial.Seed), trial);

    /// <summary>
    /// The experiment with the trial's values drawn define-by-run, each distribution under its
    /// parameter name: a choice's label first, then only the chosen option's values; a repeat
    /// count first, then the values of that many copies.
    /// </summary>
    public static Experiment Sample(Experiment experiment, Trial trial) => experiment.Resolve(p => trial.Suggest(p.Path, ToDistribution(p)));

    /// <summary>The experiment a stored trial trained (<see cref="TunedExperiment.ForTrial"/>).</summary>
    public Experiment TrialExperiment(FrozenTrial trial, ulong seed) => new TunedExperiment(_experiment).ForTrial(trial, seed);

    /// <summary>
    /// Trains the experiment and returns the monitored value of its last epoch; a live trial gets each epoch's value.
    /// A trial never evaluates the test set: trials are compared on validation data alone.
    /// </summary>
    public double Train(Experiment resolved, Trial? trial) => Measure(resolved, trial)[0];

    /// <summary>
    /// Trains the experiment and returns its objectives' values; a live trial gets each epoch's
    /// monitored value (one objective only: a study of several is not pruned) and its constraints,
    /// each the measure minus its bound.
    /// </summary>
    public IReadOnlyList<double> Measure(Experiment resolved, Trial? trial)
    {
        var reporter = new EpochReporter(Objectives.Count == 1 ? trial : null, Monitor);
        using var live = trial is not null && TrialRuns is not null ? BeginRun(resolved, trial) : null;
        var run = new ExperimentRunner(resolved.Spec(), resolved.Directory).Run(_log, live is null ? [reporter] : [reporter, live], verbose: false, diagnose: false, development: true);
        live?.Complete(run);
        if (trial is not null && Constraints.Count > 0)
            trial.SetConstraints(Constraints.Select(c => RunMeasures.Of(c.Key, run, reporter.Logs) - c.Value).ToArray());
        return Objectives.Select(o => RunMeasures.Of(o, run, reporter.Logs)).ToArray();
    }

    /// <summary>The trial's run directory, begun before it trains and named in its <see cref="RunDirAttr"/> attribute.</summary>
    private LiveRun BeginRun(Experiment resolved, Trial trial)
    {
        // A study's name may hold characters a directory name cannot.
        string study = string.Concat(trial.Study.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        string path = Path.GetFullPath(Path.Combine(TrialRuns!, string.Create(CultureInfo.InvariantCulture, $"{study}-trial-{trial.Number}")));
        var live = LiveRun.Begin(path, resolved);
        trial.SetUserAttr(RunDirAttr, path);
        return live;
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
        /// <summary>The last epoch's logged values.</summary>
        public IReadOnlyDictionary<string, double> Logs { get; private set; } = new Dictionary<string, double>();

        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
        {
            Logs = new Dictionary<string, double>(logs);
            Last = logs[monitor];
            if (trial is null) return;
            trial.Report(Last, epoch);
            if (trial.ShouldPrune()) throw new TrialPruned(string.Create(CultureInfo.InvariantCulture, $"pruned at epoch {epoch} with {monitor}={Last:G6}"));
        }
    }
}
