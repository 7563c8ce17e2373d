using Sparta.Tuning.Distributions;
using Sparta.Tuning.Storage;

namespace Sparta.Tuning.Tests.Storage;

/// <summary>
/// The storage contract (src/Sparta.Tuning/Storage/README.md), run against every implementation:
/// each storage derives a class that says how to open a fresh, empty storage.
/// </summary>
public abstract class StorageContractTests : IDisposable
{
    private readonly List<IStudyStorage> _opened = new();

    /// <summary>A new storage with no studies in it.</summary>
    protected abstract IStudyStorage CreateStorage();

    private IStudyStorage Open()
    {
        var storage = CreateStorage();
        _opened.Add(storage);
        return storage;
    }

    public void Dispose()
    {
        foreach (var s in _opened) s.Dispose();
        GC.SuppressFinalize(this);
    }

    private static readonly StudyDirection[] Minimize = { StudyDirection.Minimize };

    [Fact]
    public void Studies_are_created_found_listed_and_deleted()
    {
        var storage = Open();
        int a = storage.CreateStudy("a", Minimize);
        int b = storage.CreateStudy("b", new[] { StudyDirection.Maximize, StudyDirection.Minimize });
        Assert.NotEqual(a, b);
        Assert.Equal(new[] { StudyDirection.Maximize, StudyDirection.Minimize }, storage.GetStudy(b).Directions);
        Assert.Equal(a, storage.FindStudy("a")!.StudyId);
        Assert.Null(storage.FindStudy("c"));
        Assert.Equal(new[] { "a", "b" }, storage.GetAllStudies().Select(s => s.Name).OrderBy(n => n));
        Assert.Throws<DuplicateStudyException>(() => storage.CreateStudy("a", Minimize));
        storage.CreateTrial(a);
        storage.DeleteStudy(a);
        Assert.Null(storage.FindStudy("a"));
        Assert.Throws<KeyNotFoundException>(() => storage.GetStudy(a));
    }

    [Fact]
    public void Study_attributes_hold_json_text()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        storage.SetStudyUserAttr(s, "owner", "\"ann\"");
        storage.SetStudyUserAttr(s, "owner", "\"bob\"");
        storage.SetStudySystemAttr(s, "seed", "42");
        Assert.Equal("\"bob\"", storage.GetStudyUserAttrs(s)["owner"]);
        Assert.Equal("42", storage.GetStudySystemAttrs(s)["seed"]);
    }

    [Fact]
    public void A_trial_runs_records_everything_and_freezes_when_finished()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        int t0 = storage.CreateTrial(s);
        int t1 = storage.CreateTrial(s);
        var lr = new FloatDistribution(1e-3, 10, log: true);
        var act = new CategoricalDistribution(new object?[] { "relu", "tanh" });
        storage.SetTrialParam(t1, "lr", 0.05, lr);
        storage.SetTrialParam(t1, "act", 1, act);
        storage.SetTrialIntermediateValue(t1, 0, 0.9);
        storage.SetTrialIntermediateValue(t1, 1, double.NaN);
        storage.SetTrialIntermediateValue(t1, 1, 0.7);
        storage.SetTrialUserAttr(t1, "note", "[1, 2]");
        storage.SetTrialSystemAttr(t1, TrialSystemAttrs.Seed, "123");
        Assert.True(storage.SetTrialStateValues(t1, TrialState.Complete, new[] { 0.5 }));

        var trial = storage.GetTrial(t1);
        Assert.Equal(1, trial.Number);
        Assert.Equal(0, storage.GetTrial(t0).Number);
        Assert.Equal(TrialState.Complete, trial.State);
        Assert.Equal(0.5, trial.Value);
        Assert.Equal(0.05, trial.Params["lr"]);
        Assert.Equal("tanh", trial.Params["act"]);
        Assert.Equal(lr, trial.Distributions["lr"]);
        Assert.Equal(act, trial.Distributions["act"]);
        Assert.Equal(new Dictionary<int, double> { [0] = 0.9, [1] = 0.7 }, trial.IntermediateValues);
        Assert.Equal("[1, 2]", trial.UserAttrs["note"]);
        Assert.Equal("123", trial.SystemAttrs[TrialSystemAttrs.Seed]);
        Assert.NotNull(trial.DatetimeStart);
        Assert.True(trial.DatetimeComplete >= trial.DatetimeStart);

        Assert.Throws<InvalidOperationException>(() => storage.SetTrialParam(t1, "x", 1, new FloatDistribution(0, 2)));
        Assert.Throws<InvalidOperationException>(() => storage.SetTrialStateValues(t1, TrialState.Fail));
        Assert.Throws<InvalidOperationException>(() => storage.SetTrialIntermediateValue(t1, 2, 0.1));
        Assert.Throws<InvalidOperationException>(() => storage.SetTrialUserAttr(t1, "k", "1"));
        Assert.Throws<KeyNotFoundException>(() => storage.GetTrial(t1 + 1000));
    }

    [Fact]
    public void Infinite_values_and_intermediate_values_survive()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        int t = storage.CreateTrial(s);
        storage.SetTrialIntermediateValue(t, 3, double.NegativeInfinity);
        storage.SetTrialIntermediateValue(t, 4, double.NaN);
        storage.SetTrialStateValues(t, TrialState.Complete, new[] { double.PositiveInfinity });
        var trial = storage.GetTrial(t);
        Assert.Equal(double.PositiveInfinity, trial.Value);
        Assert.Equal(double.NegativeInfinity, trial.IntermediateValues[3]);
        Assert.True(double.IsNaN(trial.IntermediateValues[4]));
    }

    [Fact]
    public void A_parameter_keeps_its_kind_across_the_study()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        storage.SetTrialParam(storage.CreateTrial(s), "x", 1, new FloatDistribution(0, 2));
        int t = storage.CreateTrial(s);
        storage.SetTrialParam(t, "x", 3, new FloatDistribution(0, 4)); // new bounds are fine
        Assert.Throws<ArgumentException>(() => storage.SetTrialParam(t, "x", 1, new IntDistribution(0, 2)));
    }

    [Fact]
    public void Waiting_trials_are_claimed_once_in_number_order()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        var fixedParams = new Dictionary<string, string> { [TrialSystemAttrs.FixedParams] = "{\"x\": 1.5}" };
        int w0 = storage.CreateTrial(s, new FrozenTrial { State = TrialState.Waiting, SystemAttrs = fixedParams });
        int w1 = storage.CreateTrial(s, new FrozenTrial { State = TrialState.Waiting });
        Assert.Null(storage.GetTrial(w0).DatetimeStart);
        Assert.Equal("{\"x\": 1.5}", storage.GetTrial(w0).SystemAttrs[TrialSystemAttrs.FixedParams]);
        Assert.Equal(w0, storage.ClaimWaitingTrial(s));
        Assert.Equal(TrialState.Running, storage.GetTrial(w0).State);
        Assert.NotNull(storage.GetTrial(w0).DatetimeStart);
        Assert.False(storage.SetTrialStateValues(w0, TrialState.Running)); // already claimed
        Assert.True(storage.SetTrialStateValues(w1, TrialState.Running));
        Assert.Null(storage.ClaimWaitingTrial(s));
    }

    [Fact]
    public void A_dead_workers_trial_is_failed_and_its_retry_queued_together()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        int t = storage.CreateTrial(s);
        var x = new FloatDistribution(0, 1);
        storage.SetTrialParam(t, "x", 0.25, x);
        var retry = new FrozenTrial
        {
            State = TrialState.Waiting,
            InternalParams = new Dictionary<string, double> { ["x"] = 0.25 },
            Distributions = new Dictionary<string, Distribution> { ["x"] = x },
            SystemAttrs = new Dictionary<string, string> { [TrialSystemAttrs.FailedTrial] = "0" },
        };
        Assert.True(storage.FailTrialAndQueueRetry(t, "\"its worker died\"", retry));
        var failed = storage.GetTrial(t);
        Assert.Equal(TrialState.Fail, failed.State);
        Assert.NotNull(failed.DatetimeComplete);
        Assert.Equal("\"its worker died\"", failed.SystemAttrs[TrialSystemAttrs.FailReason]);
        var queued = storage.GetAllTrials(s).Single(trial => trial.TrialId != t);
        Assert.Equal((TrialState.Waiting, 1, 0.25, "0"), (queued.State, queued.Number, queued.InternalParams["x"], queued.SystemAttrs[TrialSystemAttrs.FailedTrial]));

        // A second reaper finds the trial finished: it changes nothing and queues no second retry.
        Assert.False(storage.FailTrialAndQueueRetry(t, "\"again\"", retry));
        Assert.Equal(2, storage.CountTrials(s));
        Assert.Equal("\"its worker died\"", storage.GetTrial(t).SystemAttrs[TrialSystemAttrs.FailReason]);
    }

    [Fact]
    public void A_retry_the_storage_refuses_leaves_the_trial_running()
    {
        // One transaction: when the retry cannot be written (here its distribution clashes with the study's), the
        // trial is not failed either, so the next reaper tries again instead of finding it failed without a retry.
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        int t = storage.CreateTrial(s);
        storage.SetTrialParam(t, "x", 0.25, new FloatDistribution(0, 1));
        var clashing = new FrozenTrial
        {
            State = TrialState.Waiting,
            InternalParams = new Dictionary<string, double> { ["x"] = 3 },
            Distributions = new Dictionary<string, Distribution> { ["x"] = new IntDistribution(1, 8) },
        };
        Assert.Throws<ArgumentException>(() => storage.FailTrialAndQueueRetry(t, "\"its worker died\"", clashing));
        var trial = storage.GetTrial(t);
        Assert.Equal(TrialState.Running, trial.State);
        Assert.False(trial.SystemAttrs.ContainsKey(TrialSystemAttrs.FailReason));
        Assert.Equal(1, storage.CountTrials(s));
        Assert.True(storage.FailTrialAndQueueRetry(t, "\"its worker died\"", null));
        Assert.Equal(TrialState.Fail, storage.GetTrial(t).State);
        Assert.Equal(1, storage.CountTrials(s));
    }

    [Fact]
    public void Concurrent_claims_never_hand_out_a_trial_twice()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        for (int i = 0; i < 40; i++) storage.CreateTrial(s, new FrozenTrial { State = TrialState.Waiting });
        var claimed = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 4, _ =>
        {
            while (storage.ClaimWaitingTrial(s) is int id) claimed.Add(id);
        });
        Assert.Equal(40, claimed.Count);
        Assert.Equal(40, claimed.Distinct().Count());
    }

    [Fact]
    public void A_template_is_copied_whole()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        var start = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var template = new FrozenTrial
        {
            State = TrialState.Complete,
            Values = new[] { 1.25 },
            DatetimeStart = start,
            DatetimeComplete = start.AddSeconds(30),
            InternalParams = new Dictionary<string, double> { ["n"] = 4 },
            Distributions = new Dictionary<string, Distribution> { ["n"] = new IntDistribution(1, 8) },
            UserAttrs = new Dictionary<string, string> { ["u"] = "true" },
            IntermediateValues = new Dictionary<int, double> { [0] = 2, [1] = 1.25 },
        };
        var copy = storage.GetTrial(storage.CreateTrial(s, template));
        Assert.Equal(TrialState.Complete, copy.State);
        Assert.Equal(1.25, copy.Value);
        Assert.Equal(start, copy.DatetimeStart);
        Assert.Equal(TimeSpan.FromSeconds(30), copy.Duration);
        Assert.Equal(4L, copy.Params["n"]);
        Assert.Equal("true", copy.UserAttrs["u"]);
        Assert.Equal(2, copy.IntermediateValues.Count);
    }

    [Fact]
    public void Trials_are_listed_and_counted_by_state()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        int other = storage.CreateStudy("other", Minimize);
        storage.CreateTrial(other);
        var states = new[] { TrialState.Complete, TrialState.Pruned, TrialState.Fail, TrialState.Running };
        foreach (var state in states)
        {
            int t = storage.CreateTrial(s);
            if (state != TrialState.Running) storage.SetTrialStateValues(t, state, state == TrialState.Complete ? new[] { 1.0 } : null);
        }
        Assert.Equal(new[] { 0, 1, 2, 3 }, storage.GetAllTrials(s).Select(t => t.Number));
        Assert.Equal(new[] { 0, 1 }, storage.GetAllTrials(s, new[] { TrialState.Complete, TrialState.Pruned }).Select(t => t.Number));
        Assert.Equal(4, storage.CountTrials(s));
        Assert.Equal(1, storage.CountTrials(s, new[] { TrialState.Fail }));
    }

    [Fact]
    public void The_budget_holds_under_concurrent_creation()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        var all = Enum.GetValues<TrialState>();
        int created = 0;
        Parallel.For(0, 4, _ =>
        {
            while (storage.CreateTrialWithinBudget(s, 25, all) is int) Interlocked.Increment(ref created);
        });
        Assert.Equal(25, created);
        Assert.Equal(25, storage.CountTrials(s));
    }

    [Fact]
    public void Only_running_trials_with_an_old_heartbeat_or_an_old_start_and_none_are_stale()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", Minimize);
        int silent = storage.CreateTrial(s);
        int beating = storage.CreateTrial(s);
        int done = storage.CreateTrial(s);
        storage.RecordHeartbeat(beating);
        storage.RecordHeartbeat(done);
        storage.SetTrialStateValues(done, TrialState.Complete, new[] { 0.0 });
        Thread.Sleep(50);
        Assert.Equal(new[] { silent, beating }, storage.GetStaleTrialIds(s, TimeSpan.FromMilliseconds(10)));
        Assert.Empty(storage.GetStaleTrialIds(s, TimeSpan.FromMinutes(5)));
        // A heartbeat, once sent, counts instead of the start: 1 s later only the old one is stale.
        Thread.Sleep(1000);
        storage.RecordHeartbeat(silent);
        Assert.Equal(new[] { beating }, storage.GetStaleTrialIds(s, TimeSpan.FromMilliseconds(500)));
    }
}

public sealed class InMemoryStorageTests : StorageContractTests
{
    protected override IStudyStorage CreateStorage() => new InMemoryStorage();
}
