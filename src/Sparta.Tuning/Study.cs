using Sparta.Tensors;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Pruners;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage;

namespace Sparta.Tuning;

/// <summary>
/// A search for the best parameters of one objective or several (Optuna's Study): trials, a
/// sampler that proposes parameters, a pruner that stops bad trials early, and a storage that
/// holds it all. With several objectives there is no single best trial but a Pareto front
/// (<see cref="BestTrials"/>).
/// </summary>
public sealed class Study
{
    private const string SeedAttr = "sparta:seed";
    private const string ConcurrencyAttr = "sparta:concurrency";
    private static readonly TimeSpan HistoryPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TrialState[] Finished = { TrialState.Complete, TrialState.Pruned, TrialState.Fail };

    private Study(IStudyStorage storage, StudyInfo info, ISampler sampler, IPruner pruner, ulong seed, int? concurrency)
    {
        Concurrency = concurrency;
        Storage = storage;
        StudyId = info.StudyId;
        Name = info.Name;
        Directions = info.Directions;
        Sampler = sampler;
        Pruner = pruner;
        Seed = seed;
    }

    public IStudyStorage Storage { get; }
    public int StudyId { get; }
    public string Name { get; }
    /// <summary>Each objective's direction, in the order the objective returns its values.</summary>
    public IReadOnlyList<StudyDirection> Directions { get; }
    /// <summary>The direction of the first (for a study of one objective, the only) objective.</summary>
    public StudyDirection Direction => Directions[0];
    public bool IsMultiObjective => Directions.Count > 1;
    public ISampler Sampler { get; }
    public IPruner Pruner { get; }
    /// <summary>The study's seed: with the trial number it gives each trial's seed.</summary>
    public ulong Seed { get; }

    /// <summary>
    /// The most trials the study runs at once across all its workers and processes, fixed when it
    /// is created; null for a study created without (by Optuna, or before Sparta stored it). With
    /// it, the samplers draw trial k from the trials numbered up to k - concurrency only (see
    /// <see cref="History"/>), so the study's trials do not depend on how they were scheduled.
    /// </summary>
    public int? Concurrency { get; }

    /// <summary>
    /// Creates a study (or, with <paramref name="loadIfExists"/>, opens the one of that name).
    /// The seed is stored with the study; an opened study keeps the seed it was created with.
    /// Defaults: in-memory storage, TPE sampler seeded with <paramref name="seed"/> (NSGA-II for
    /// several objectives), no pruning.
    /// </summary>
    public static Study Create(string? name = null, StudyDirection direction = StudyDirection.Minimize, IStudyStorage? storage = null,
        ISampler? sampler = null, IPruner? pruner = null, ulong seed = 0, bool loadIfExists = false, int? concurrency = null) =>
        Create(name, [direction], storage, sampler, pruner, seed, loadIfExists, concurrency);

    /// <summary>
    /// A study of as many objectives as <paramref name="directions"/> holds (Optuna's <c>directions=</c>);
    /// an existing study opened with <paramref name="loadIfExists"/> must have the same directions.
    /// </summary>
    public static Study Create(string? name, IReadOnlyList<StudyDirection> directions, IStudyStorage? storage = null,
        ISampler? sampler = null, IPruner? pruner = null, ulong seed = 0, bool loadIfExists = false, int? concurrency = null)
    {
        if (concurrency < 1) throw new ArgumentException($"concurrency: expected at least 1 trial at once, got {concurrency}");
        if (directions.Count == 0) throw new ArgumentException("directions: expected at least one direction, got none");
        if (directions.Contains(StudyDirection.NotSet)) throw new ArgumentException("direction: expected minimize or maximize, got NotSet");
        storage ??= new InMemoryStorage();
        name ??= $"study-{Guid.NewGuid():N}";
        var existing = storage.FindStudy(name);
        if (existing is not null && !loadIfExists) throw new DuplicateStudyException(name);
        if (existing is not null && !existing.Directions.SequenceEqual(directions))
            throw new ArgumentException($"study '{name}' exists with directions [{DirectionNames(existing.Directions)}], not [{DirectionNames(directions)}]");
        if (existing is null)
        {
            int id = storage.CreateStudy(name, directions);
            storage.SetStudySystemAttr(id, SeedAttr, seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (concurrency is int c) storage.SetStudySystemAttr(id, ConcurrencyAttr, c.ToString(System.Globalization.CultureInfo.InvariantCulture));
            existing = storage.GetStudy(id);
        }
        return Open(storage, existing, sampler, pruner, seed);
    }

    /// <summary>
    /// Creates the study or loads it when it exists; when another process creates it between the
    /// look-up and the insert, loads that one (several processes may start one study at once).
    /// </summary>
    public static Study CreateOrLoad(string name, StudyDirection direction, IStudyStorage storage, ulong seed, int? concurrency = null) =>
        CreateOrLoad(name, [direction], storage, seed, concurrency);

    /// <inheritdoc cref="CreateOrLoad(string, StudyDirection, IStudyStorage, ulong, int?)"/>
    public static Study CreateOrLoad(string name, IReadOnlyList<StudyDirection> directions, IStudyStorage storage, ulong seed, int? concurrency = null)
    {
        try { return Create(name, directions, storage, seed: seed, loadIfExists: true, concurrency: concurrency); }
        catch (DuplicateStudyException) { return Load(name, storage); }
    }

    private static string DirectionNames(IEnumerable<StudyDirection> directions) =>
        string.Join(", ", directions.Select(d => d.ToOptunaName().ToLowerInvariant()));

    /// <summary>Opens an existing study by name (a study created by Optuna opens too).</summary>
    public static Study Load(string name, IStudyStorage storage, ISampler? sampler = null, IPruner? pruner = null, ulong seed = 0) =>
        Open(storage, storage.FindStudy(name) ?? throw new KeyNotFoundException($"study '{name}' does not exist in the storage"), sampler, pruner, seed);

    private static Study Open(IStudyStorage storage, StudyInfo info, ISampler? sampler, IPruner? pruner, ulong seed)
    {
        var attrs = storage.GetStudySystemAttrs(info.StudyId);
        if (attrs.TryGetValue(SeedAttr, out var stored)) seed = ulong.Parse(stored, System.Globalization.CultureInfo.InvariantCulture);
        int? concurrency = attrs.TryGetValue(ConcurrencyAttr, out var c) ? int.Parse(c, System.Globalization.CultureInfo.InvariantCulture) : null;
        sampler ??= info.Directions.Count > 1 ? new NsgaIISampler(seed) : new TpeSampler(seed: seed);
        if (info.Directions.Count > 1 && !sampler.TakesSeveralObjectives)
            throw new ArgumentException($"sampler: {sampler.GetType().Name} learns from one value; study '{info.Name}' has {info.Directions.Count} objectives (use nsga2 or random)");
        return new Study(storage, info, sampler, pruner ?? new NopPruner(), seed, concurrency);
    }

    /// <summary>All trials, in number order.</summary>
    public IReadOnlyList<FrozenTrial> Trials => Storage.GetAllTrials(StudyId);

    public IReadOnlyList<FrozenTrial> GetTrials(params TrialState[] states) => Storage.GetAllTrials(StudyId, states);

    /// <summary>
    /// The trials (in the given states) a sampler learns from when it draws <paramref name="trial"/>.
    /// Without <see cref="Concurrency"/>: every such trial now in the study. With it: those numbered
    /// below k - concurrency + 1, k being the trial's number (a retry's first attempt's); the call
    /// waits until none of them is still running. With that many trials at once, those are the ones
    /// finished when trial k starts in the usual order, so the wait is short; and since the set
    /// depends on k alone, the same study seed gives the same trials whatever the scheduling.
    /// </summary>
    public IReadOnlyList<FrozenTrial> History(FrozenTrial trial, params TrialState[] states)
    {
        if (Concurrency is not int concurrency) return GetTrials(states);
        int below = TrialSystemAttrs.FirstAttempt(trial) - concurrency + 1;
        // A trial below the cut that still runs will finish, or its worker dies and a survivor fails it.
        while (Storage.GetAllTrials(StudyId, new[] { TrialState.Running }).Any(t => t.Number < below && t.TrialId != trial.TrialId))
            Thread.Sleep(HistoryPoll);
        return GetTrials(states).Where(t => t.Number < below).ToList();
    }

    /// <summary>The complete trial with the best value; throws when no trial is complete, or when the study has several objectives.</summary>
    public FrozenTrial BestTrial
    {
        get
        {
            if (IsMultiObjective)
                throw new InvalidOperationException($"study '{Name}' has {Directions.Count} objectives: no single trial is best; its Pareto front is BestTrials");
            FrozenTrial? best = null;
            foreach (var t in GetTrials(TrialState.Complete))
                if (best is null || Direction.IsBetter(t.Value!.Value, best.Value!.Value)) best = t;
            return best ?? throw new InvalidOperationException($"study '{Name}': no trial is complete yet");
        }
    }

    public double BestValue => BestTrial.Value!.Value;

    /// <summary>
    /// Optuna's best_trials: the complete trials no other complete trial dominates (for one objective,
    /// those of the best value), in number order. Trials that violate their constraints are left out
    /// while some trial satisfies its own, as Optuna 3.2 and later do.
    /// </summary>
    public IReadOnlyList<FrozenTrial> BestTrials => MultiObjective.ParetoFront(GetTrials(TrialState.Complete), Directions);
    public IReadOnlyDictionary<string, object?> BestParams => BestTrial.Params;

    /// <summary>The seed of trial <paramref name="number"/>: a pure function of the study seed and the number.</summary>
    public static ulong TrialSeed(ulong studySeed, int number) => new RandomGenerator(studySeed).Fork("trial").Fork((ulong)number).Seed;

    /// <summary>
    /// The seed a finished trial ran with: the one stored with it, else (a trial another tool ran)
    /// the one Sparta would have derived from the study seed and its number.
    /// </summary>
    public ulong SeedOf(FrozenTrial trial) =>
        trial.SystemAttrs.TryGetValue(TrialSystemAttrs.Seed, out var s) ? ulong.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : TrialSeed(Seed, trial.Number);

    /// <summary>
    /// Starts a trial: the oldest queued (WAITING) one if any, else a new one. With
    /// <paramref name="maxTrials"/>, a new trial is created only while the study holds fewer
    /// trials than that (across all workers sharing the storage); returns null when it is full.
    /// </summary>
    public Trial? TryAsk(int? maxTrials = null)
    {
        int? id = Storage.ClaimWaitingTrial(StudyId);
        id ??= maxTrials is int max ? Storage.CreateTrialWithinBudget(StudyId, max, Enum.GetValues<TrialState>()) : Storage.CreateTrial(StudyId);
        if (id is not int trialId) return null;
        var started = Storage.GetTrial(trialId);
        // A retry keeps its first attempt's seed (copied with its attributes): it is a rerun, not a new trial.
        ulong seed = started.SystemAttrs.TryGetValue(TrialSystemAttrs.FailedTrial, out _) && started.SystemAttrs.TryGetValue(TrialSystemAttrs.Seed, out var kept)
            ? ulong.Parse(kept, System.Globalization.CultureInfo.InvariantCulture)
            : TrialSeed(Seed, started.Number);
        Storage.SetTrialSystemAttr(trialId, TrialSystemAttrs.Seed, seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new Trial(this, started, seed);
    }

    /// <summary>Starts a trial (Optuna's ask): the oldest queued one if any, else a new one.</summary>
    public Trial Ask() => TryAsk()!;

    /// <summary>Finishes a trial with the objective's value. A NaN or infinite value makes the trial FAIL, with the reason stored.</summary>
    public FrozenTrial Tell(Trial trial, double value) => Tell(trial, [value]);

    /// <summary>
    /// Finishes a trial with one value per objective. A NaN or infinite value makes the trial FAIL,
    /// with the reason stored; so does a count of values other than the study's objectives.
    /// </summary>
    public FrozenTrial Tell(Trial trial, IReadOnlyList<double> values)
    {
        if (values.Count != Directions.Count)
            return Tell(trial, TrialState.Fail, failReason: $"the objective returned {values.Count} values for a study of {Directions.Count} objectives");
        foreach (double v in values)
            if (!double.IsFinite(v)) return Tell(trial, TrialState.Fail, failReason: $"the objective returned {v}");
        return Tell(trial, TrialState.Complete, values);
    }

    /// <summary>
    /// Finishes a trial in the given state. A PRUNED trial takes its last reported value (as in
    /// Optuna); a FAIL trial stores <paramref name="failReason"/>.
    /// </summary>
    public FrozenTrial Tell(Trial trial, TrialState state, double? value = null, string? failReason = null) =>
        Tell(trial, state, value is double v ? [v] : null, failReason);

    /// <inheritdoc cref="Tell(Trial, TrialState, double?, string?)"/>
    public FrozenTrial Tell(Trial trial, TrialState state, IReadOnlyList<double>? values, string? failReason = null)
    {
        if (!state.IsFinished()) throw new ArgumentException($"tell: state must be COMPLETE, PRUNED or FAIL, got {state.ToOptunaName()}");
        if (state == TrialState.Complete && values is null) throw new ArgumentException("tell: a COMPLETE trial needs a value");
        if (state == TrialState.Complete && values!.Count != Directions.Count)
            throw new ArgumentException($"tell: a study of {Directions.Count} objectives needs {Directions.Count} values, got {values.Count}");
        // A pruned trial keeps its last report as its value; reports are of one objective only.
        if (state == TrialState.Pruned && values is null && !IsMultiObjective)
        {
            var reported = trial.Snapshot().IntermediateValues;
            if (reported.Count > 0)
            {
                double last = reported[reported.Keys.Max()];
                if (double.IsFinite(last)) values = [last];
            }
        }
        if (state == TrialState.Fail && failReason is not null)
            Storage.SetTrialSystemAttr(trial.TrialId, TrialSystemAttrs.FailReason, AttrJson.Write(failReason));
        Storage.SetTrialStateValues(trial.TrialId, state, state != TrialState.Fail ? values : null);
        var finished = Storage.GetTrial(trial.TrialId);
        Sampler.AfterTrial(this, finished);
        return finished;
    }

    /// <summary>
    /// Runs <paramref name="nTrials"/> trials of <paramref name="objective"/> in this process. A
    /// trial that throws <see cref="TrialPruned"/> is PRUNED; one that returns a non-finite value
    /// is FAIL with the reason stored, and the study goes on. As in Optuna, a trial that throws is
    /// FAIL with the reason stored, and the exception is raised again unless its type is one of
    /// <paramref name="catchExceptions"/> (or derives from one), then the study goes on: a bug in
    /// the objective stops the study instead of failing every trial quietly.
    /// <paramref name="onTrialFinished"/> sees every finished trial (progress output, exports).
    /// With <paramref name="maxTrialsInStudy"/> the budget is the study's total across workers.
    /// </summary>
    public void Optimize(Func<Trial, double> objective, int nTrials, Action<Study, FrozenTrial>? onTrialFinished = null, int? maxTrialsInStudy = null,
        IReadOnlyCollection<Type>? catchExceptions = null) =>
        OptimizeObjectives(Values(objective), nTrials, onTrialFinished, maxTrialsInStudy, catchExceptions);

    /// <summary>An objective of one value as one of several: its value alone.</summary>
    public static Func<Trial, IReadOnlyList<double>> Values(Func<Trial, double> objective) => trial => [objective(trial)];

    /// <summary>
    /// As <see cref="Optimize"/>, for a study of several objectives: <paramref name="objective"/>
    /// returns one value per objective, in the order of <see cref="Directions"/>.
    /// </summary>
    public void OptimizeObjectives(Func<Trial, IReadOnlyList<double>> objective, int nTrials, Action<Study, FrozenTrial>? onTrialFinished = null, int? maxTrialsInStudy = null,
        IReadOnlyCollection<Type>? catchExceptions = null)
    {
        if (nTrials < 0) throw new ArgumentOutOfRangeException(nameof(nTrials), $"trials must be non-negative, got {nTrials}");
        for (int i = 0; i < nTrials; i++)
        {
            var trial = TryAsk(maxTrialsInStudy);
            if (trial is null) return;
            var finished = RunTrial(objective, trial, catchExceptions ?? []);
            onTrialFinished?.Invoke(this, finished);
        }
    }

    private FrozenTrial RunTrial(Func<Trial, IReadOnlyList<double>> objective, Trial trial, IReadOnlyCollection<Type> catchExceptions)
    {
        try { return RunAndTell(objective, trial, catchExceptions); }
        catch (StorageException e)
        {
            // The storage failed under the trial (a full disk, a lost connection): it is marked FAIL
            // if the storage still answers, rather than left RUNNING for others to wait on.
            try { Tell(trial, TrialState.Fail, failReason: $"the storage failed: {e.Message}"); }
            catch (Exception again) when (again is StorageException or InvalidOperationException) { }
            throw;
        }
    }

    private FrozenTrial RunAndTell(Func<Trial, IReadOnlyList<double>> objective, Trial trial, IReadOnlyCollection<Type> catchExceptions)
    {
        IReadOnlyList<double> values;
        try
        {
            values = objective(trial);
        }
        catch (TrialPruned)
        {
            return Tell(trial, TrialState.Pruned);
        }
        catch (Exception e)
        {
            var failed = Tell(trial, TrialState.Fail, failReason: $"{e.GetType().Name}: {e.Message}");
            if (!catchExceptions.Any(type => type.IsInstanceOfType(e))) throw;
            return failed;
        }
        return Tell(trial, values);
    }

    /// <summary>
    /// Queues a configuration to evaluate next (manual search). Parameters not given are drawn
    /// by the sampler as usual. Stored as Optuna does (a WAITING trial with <c>fixed_params</c>).
    /// </summary>
    public void Enqueue(IReadOnlyDictionary<string, object?> parameters)
    {
        string json = "{" + string.Join(", ", parameters.Select(p => $"{PythonJson.String(p.Key)}: {AttrJson.Write(p.Value)}")) + "}";
        Storage.CreateTrial(StudyId, new FrozenTrial
        {
            State = TrialState.Waiting,
            SystemAttrs = new Dictionary<string, string> { [TrialSystemAttrs.FixedParams] = json },
        });
    }

    /// <summary>Adds finished trials (from another study, or evaluated elsewhere) as history the sampler learns from.</summary>
    public void AddTrials(IEnumerable<FrozenTrial> trials)
    {
        foreach (var t in trials)
        {
            if (!t.State.IsFinished()) throw new ArgumentException($"add trials: trial {t.Number} is {t.State.ToOptunaName()}, only finished trials can be added");
            Storage.CreateTrial(StudyId, t);
        }
    }

    /// <summary>Warm start: copies the finished trials of <paramref name="source"/> (whose parameters must be compatible) into this study.</summary>
    public void WarmStartFrom(Study source) => AddTrials(source.GetTrials(Finished));
}
