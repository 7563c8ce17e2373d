using Sparta.Configuration;
using Sparta.Experiments;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Workers;

namespace Sparta.Tuning.Experiments;

/// <summary>How <see cref="ExperimentSearch.Run"/> searches an experiment file.</summary>
public sealed record ExperimentSearchOptions
{
    /// <summary>Trials in the study, counting those already stored: running again resumes up to this many.</summary>
    public int Trials { get; init; } = 20;

    /// <summary>
    /// The sampler, a name or a name with parameters (<see cref="Samplers.SamplerRegistry"/>:
    /// <c>new ComponentConfig("tpe", [new("startup_trials", 20)])</c>, or just <c>"tpe"</c>); when null, the
    /// file's <c>search.sampler</c>, else <c>auto</c> (NSGA-II when the file names several objectives).
    /// </summary>
    public ComponentConfig? Sampler { get; init; }

    /// <summary>The pruner (<see cref="Pruners.PrunerRegistry"/>); when null, the file's <c>search.pruner</c>, else none.</summary>
    public ComponentConfig? Pruner { get; init; }

    /// <summary>The sampler a search of <paramref name="experiment"/> uses: this one, the file's, or <c>auto</c> (NSGA-II for several objectives).</summary>
    public ComponentConfig SamplerFor(Experiment experiment) =>
        Sampler ?? experiment.Search?.Sampler ?? (experiment.Search?.Objectives?.Count > 1 ? "nsga2" : Samplers.AutoSampler.RegisteredName);

    /// <summary>The pruner a search of <paramref name="experiment"/> uses: this one, the file's, or none.</summary>
    public ComponentConfig PrunerFor(Experiment experiment) => Pruner ?? experiment.Search?.Pruner ?? "none";

    /// <summary>The study's seed; trial k trains with a seed drawn from it, so one worker on a fresh study repeats exactly.</summary>
    public ulong Seed { get; init; }

    /// <summary>Where the study is kept; in memory when null.</summary>
    public IStudyStorage? Storage { get; init; }

    /// <summary>
    /// Where each trial writes its run directory as it trains (<c>DIR/STUDY-trial-N</c>, as <c>sparta train</c>
    /// writes one), named in the trial's user attribute <c>run_dir</c>, so the dashboard shows the trial's
    /// learning curves live and links the trial to its run; none when null. A trial pruned or failed leaves none.
    /// </summary>
    public string? TrialRuns { get; init; }

    /// <summary>The study's name; by default FILE-SAMPLER-SEED. An existing study of that name is resumed.</summary>
    public string? StudyName { get; init; }

    /// <summary>Trials run at once in this process, each on its own thread with its own sampler (all seeded with the study's seed).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>
    /// The most trials the study runs at once across all its processes, stored when the study is
    /// created (<see cref="Study.Concurrency"/>); when null, see <see cref="DefaultConcurrency"/>.
    /// </summary>
    public int? Concurrency { get; init; }

    /// <summary>The concurrency a new study is created with.</summary>
    public int? NewStudyConcurrency => DefaultConcurrency(Concurrency, Workers);

    /// <summary>
    /// The concurrency given, else the workers of this process when there are several. One worker
    /// stores none: the study then learns from every finished trial, the same thing for one process,
    /// and processes started later on it are not held back waiting for each other's trials.
    /// </summary>
    public static int? DefaultConcurrency(int? given, int workers) => given ?? (workers > 1 ? workers : null);

    /// <summary>The workers' heartbeats and how long a silent trial is given before it is retried.</summary>
    public WorkerOptions? Heartbeats { get; init; }

    /// <summary>
    /// Coarse to fine: the trials of each stage; stage k of K trains ceil(epochs·k/K) epochs over
    /// ranges narrowed around the previous stage's best. Its stages are studies in memory.
    /// </summary>
    public IReadOnlyList<int>? Stages { get; init; }

    /// <summary>
    /// Exception types that fail a trial and let the study go on; any other stops the search.
    /// A sampled configuration the experiment file's checks reject is caught by default.
    /// </summary>
    public IReadOnlyCollection<Type> Catch { get; init; } = [typeof(Sparta.Experiments.ExperimentException)];

    /// <summary>Where the trials' runs and the stages' notes write their lines.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Called as a trial starts in this process.</summary>
    public Action<Trial>? OnTrialStarted { get; init; }

    /// <summary>Called for one finished trial at a time.</summary>
    public Action<Study, FrozenTrial>? OnTrialFinished { get; init; }
}
