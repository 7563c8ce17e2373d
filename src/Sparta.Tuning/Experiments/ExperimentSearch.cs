using Sparta.Configuration;
using Sparta.Experiments;
using Sparta.Tuning.Pruners;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Workers;

namespace Sparta.Tuning.Experiments;

/// <summary>
/// What a search found: the study (the last stage's, for coarse to fine), its best trial (of one
/// objective) or Pareto front (of several), and any trial as a ready experiment.
/// </summary>
public sealed record ExperimentSearchResult(Study Study, IReadOnlyList<Study> Stages, Func<FrozenTrial, Experiment> ExperimentOf)
{
    public FrozenTrial BestTrial => Study.BestTrial;
    /// <summary>The best trial as a ready experiment; a study of several objectives has none (see <see cref="BestTrials"/>).</summary>
    public Experiment BestExperiment => ExperimentOf(BestTrial);
    /// <summary>The Pareto front (<see cref="Study.BestTrials"/>).</summary>
    public IReadOnlyList<FrozenTrial> BestTrials => Study.BestTrials;
}

/// <summary>
/// Tunes an experiment file: what <c>sparta tune EXP.yaml</c> does, as a library call.
/// <code>
/// var experiment = Experiment.Load("examples/fashion-mnist-mlp-search.yaml");
/// var result = ExperimentSearch.Run(experiment, new ExperimentSearchOptions { Trials = 20, Pruner = "median" });
/// Console.WriteLine($"{result.BestTrial.Value} with {string.Join(", ", result.BestTrial.Params)}");
/// File.WriteAllText("best.yaml", result.BestExperiment.ToYaml());
/// </code>
/// </summary>
public static class ExperimentSearch
{
    public static ExperimentSearchResult Run(Experiment experiment, ExperimentSearchOptions options)
    {
        var objective = new ExperimentObjective(experiment, options.Log) { TrialRuns = options.TrialRuns };
        // Both are checked before any study is created: a bad name or value stops the search at once.
        var sampler = SearchComponent(experiment, SamplerRegistry.Registry, options.Sampler, options.SamplerFor(experiment), "search.sampler");
        var pruner = SearchComponent(experiment, PrunerRegistry.Registry, options.Pruner, options.PrunerFor(experiment), "search.pruner");
        var probe = objective.Sampler(options.SamplerFor(experiment), sampler, options.Seed, options.Trials);
        if (objective.Objectives.Count > 1)
        {
            if (!probe.TakesSeveralObjectives)
                throw new ExperimentException(experiment.File, "search.sampler",
                    $"{options.SamplerFor(experiment).Name} learns from one value; search.objectives names {objective.Objectives.Count} (use nsga2 or random)");
            if (options.PrunerFor(experiment).Name != "none")
                throw new ExperimentException(experiment.File, "search.pruner", $"trials of several objectives report no value per epoch, so they cannot be pruned; got {options.PrunerFor(experiment).Name}");
            if (options.Stages is not null)
                throw new ExperimentException(experiment.File, "search.objectives", "coarse to fine narrows around one best trial; a study of several objectives has a front");
        }
        string name = options.StudyName ?? DefaultStudyName(experiment, options);
        var stages = options.Stages is null ? [RunStudy(objective, name, sampler, pruner, options)] : RunStages(objective, name, sampler, options);
        var study = BestOf(stages, objective.Directions);
        return new ExperimentSearchResult(study, stages, trial => objective.TrialExperiment(trial, study.SeedOf(trial)));
    }

    public static string DefaultStudyName(Experiment experiment, ExperimentSearchOptions options) =>
        $"{Path.GetFileNameWithoutExtension(experiment.File)}-{options.SamplerFor(experiment).Name}-{options.Seed}";

    /// <summary>
    /// The sampler or pruner: one given in the options fails as an argument; the file's fails naming
    /// its key (<c>exp.yaml: search.sampler.startup_trials: ...</c>).
    /// </summary>
    private static T SearchComponent<T>(Experiment experiment, Registry<T> registry, ComponentConfig? given, ComponentConfig used, string key) =>
        given is not null ? registry.Create(given)
            : ConfigProblems.Create(registry, used, (at, problem, inner) => new ExperimentException(experiment.File, at.Length == 0 ? key : $"{key}.{at}", problem, inner));

    /// <summary>Trains stored <paramref name="trial"/> of <paramref name="study"/> again with its parameters and seed; returns the new value.</summary>
    public static double Rerun(Experiment experiment, Study study, FrozenTrial trial, TextWriter? log = null)
    {
        var objective = new ExperimentObjective(experiment, log);
        return objective.Train(objective.TrialExperiment(trial, study.SeedOf(trial)), trial: null);
    }

    private static Study RunStudy(ExperimentObjective objective, string name, SamplerFactory sampler, IPruner pruner, ExperimentSearchOptions options)
    {
        var storage = options.Storage ?? new InMemoryStorage();
        var study = Study.CreateOrLoad(name, objective.Directions, storage, options.Seed, options.NewStudyConcurrency);
        StudySystemAttrs.SetMetricNames(study, objective.Objectives);
        new TunedExperiment(objective.Experiment).Store(storage, study.StudyId);
        Study Open(int worker) => Study.Load(name, storage, objective.Sampler(options.SamplerFor(objective.Experiment), sampler, study.Seed, options.Trials), pruner, study.Seed);
        Func<Trial, IReadOnlyList<double>> evaluate = trial =>
        {
            options.OnTrialStarted?.Invoke(trial);
            return objective.EvaluateObjectives(trial);
        };
        Worker.OptimizeObjectivesInParallel(options.Workers, Open, evaluate, options.Trials, (options.Heartbeats ?? new WorkerOptions()) with { Catch = options.Catch },
            onTrialFinished: options.OnTrialFinished);
        return study;
    }

    /// <summary>
    /// Coarse to fine over the file's ranges: stage k of K trains ceil(epochs·k/K) epochs, so the
    /// first stages are short and the last trains as the file says.
    /// </summary>
    private static IReadOnlyList<Study> RunStages(ExperimentObjective objective, string name, SamplerFactory sampler, ExperimentSearchOptions options)
    {
        var experiment = objective.Experiment;
        if (experiment.SearchSpace.FirstOrDefault(p => p.Condition is not null) is { } conditional)
            throw new ExperimentException(experiment.File, conditional.Path, "coarse to fine narrows fixed ranges; a conditional or repeated value cannot be staged");
        int count = options.Stages!.Count;
        var stages = options.Stages.Select((trials, k) => new SearchStage(trials, (int)Math.Ceiling(objective.Epochs * (k + 1) / (double)count))).ToArray();
        var search = new CoarseToFine(objective.Space, stages, (seed, space, trials) => sampler(seed, space, trials));
        return search.Run((trial, parameters, epochs) =>
        {
            options.OnTrialStarted?.Invoke(trial);
            var resolved = experiment.Resolve(parameters.ToDictionary(p => p.Key, p => p.Value!)).With("epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return objective.Train(TunedExperiment.Seeded(resolved, trial.Seed), trial);
        }, name, objective.Direction, seed: options.Seed, log: options.Log, onTrialFinished: options.OnTrialFinished, catchExceptions: options.Catch);
    }

    /// <summary>The stage with the best trial (several objectives: the only stage, once a trial completed).</summary>
    private static Study BestOf(IReadOnlyList<Study> studies, IReadOnlyList<StudyDirection> directions) =>
        studies.Where(s => s.GetTrials(TrialState.Complete).Count > 0)
            .Aggregate((Study?)null, (best, s) => best is null || directions.Count == 1 && directions[0].IsBetter(s.BestValue, best.BestValue) ? s : best)
        ?? throw new InvalidOperationException($"study '{studies[^1].Name}': no trial completed (see the failed trials' reasons)");
}
