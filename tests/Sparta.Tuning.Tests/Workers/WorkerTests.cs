using System.Text.Json;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.Tests.Storage;
using Sparta.Tuning.Workers;

namespace Sparta.Tuning.Tests.Workers;

/// <summary>
/// Dead workers' trials, failed and retried, and the study budget, on each storage. A dead
/// worker is played by a RUNNING trial that sent one heartbeat and then nothing; intervals are
/// a fraction of a second so the tests stay fast (no test asserts a duration).
/// </summary>
public abstract class WorkerTests : IDisposable
{
    private static readonly WorkerOptions Fast = new() { HeartbeatInterval = TimeSpan.FromMilliseconds(200), MaxRetry = 2 };
    // Where live workers run trials, a short grace period would let a heartbeat delayed by a loaded
    // machine (a starved thread, a slow database write) pass for a death: the live trial is failed and
    // retried, and the study no longer has the trials the test expects. A worker must miss fifty
    // heartbeats in a row to be taken for dead here, and a test where no worker dies never reaps.
    private static readonly WorkerOptions LiveWithOneDead = Fast with { GracePeriod = TimeSpan.FromSeconds(10) };
    private static readonly WorkerOptions LiveOnly = Fast with { GracePeriod = TimeSpan.FromHours(1) };
    private static readonly FloatDistribution X = new(-5, 5);
    private readonly List<IStudyStorage> _opened = new();

    protected abstract IStudyStorage CreateStorage();

    private IStudyStorage Open()
    {
        var storage = CreateStorage();
        _opened.Add(storage);
        return storage;
    }

    public virtual void Dispose()
    {
        foreach (var s in _opened) s.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A RUNNING trial with a parameter and one heartbeat, whose worker then "dies".</summary>
    private static int DeadWorkersTrial(IStudyStorage storage, int studyId, double x, FrozenTrial? template = null)
    {
        int id = template is null ? storage.CreateTrial(studyId) : storage.ClaimWaitingTrial(studyId)!.Value;
        if (template is null) storage.SetTrialParam(id, "x", x, X);
        storage.SetTrialIntermediateValue(id, 0, 1.5);
        storage.RecordHeartbeat(id);
        return id;
    }

    private static void WaitPastGracePeriod() => Thread.Sleep(Fast.GracePeriod * 2);

    [Fact]
    public void A_dead_workers_trial_is_failed_with_the_reason_and_queued_again_with_its_parameters()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", new[] { StudyDirection.Minimize });
        int dead = DeadWorkersTrial(storage, s, 1.25);
        int alive = storage.CreateTrial(s);
        var reaper = new StaleTrialReaper(storage, s, Fast);
        WaitPastGracePeriod();
        storage.RecordHeartbeat(alive);

        var failed = reaper.FailStaleTrials();

        Assert.Equal(new[] { dead }, failed.Select(t => t.TrialId));
        var trial = storage.GetTrial(dead);
        Assert.Equal(TrialState.Fail, trial.State);
        Assert.Contains("heartbeat", JsonSerializer.Deserialize<string>(trial.SystemAttrs[TrialSystemAttrs.FailReason]));
        Assert.Equal(TrialState.Running, storage.GetTrial(alive).State);
        var retry = Assert.Single(storage.GetAllTrials(s, new[] { TrialState.Waiting }));
        Assert.Equal(1.25, retry.Params["x"]);
        Assert.Equal(X, retry.Distributions["x"]);
        Assert.Equal(trial.Number.ToString(), retry.SystemAttrs[TrialSystemAttrs.FailedTrial]);
        Assert.Equal(new[] { trial.Number }, FailedTrialRetry.History(retry));
        Assert.Empty(retry.IntermediateValues);
        Assert.False(retry.SystemAttrs.ContainsKey(TrialSystemAttrs.FailReason));
        storage.RecordHeartbeat(alive); // the live worker keeps beating
        Assert.Empty(reaper.FailStaleTrials()); // nothing left to reap
    }

    [Fact]
    public void A_configuration_is_retried_up_to_the_limit_then_given_up()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", new[] { StudyDirection.Minimize });
        var reaper = new StaleTrialReaper(storage, s, Fast);
        var numbers = new List<int> { storage.GetTrial(DeadWorkersTrial(storage, s, -2)).Number };
        for (int attempt = 0; attempt <= Fast.MaxRetry; attempt++)
        {
            WaitPastGracePeriod();
            Assert.Single(reaper.FailStaleTrials());
            if (attempt == Fast.MaxRetry) break;
            var retry = storage.GetAllTrials(s, new[] { TrialState.Waiting }).Single();
            Assert.Equal(numbers, FailedTrialRetry.History(retry));
            Assert.Equal(numbers[0].ToString(), retry.SystemAttrs[TrialSystemAttrs.FailedTrial]);
            numbers.Add(retry.Number);
            DeadWorkersTrial(storage, s, 0, retry);
        }
        Assert.Empty(storage.GetAllTrials(s, new[] { TrialState.Waiting }));
        var last = storage.GetAllTrials(s).Last();
        Assert.Contains("not retried", JsonSerializer.Deserialize<string>(last.SystemAttrs[TrialSystemAttrs.FailReason]));
        Assert.Equal(Fast.MaxRetry + 1, storage.CountTrials(s, new[] { TrialState.Fail }));
    }

    [Fact]
    public void Two_reapers_seeing_one_dead_trial_queue_one_retry()
    {
        var storage = Open();
        int s = storage.CreateStudy("s", new[] { StudyDirection.Minimize });
        DeadWorkersTrial(storage, s, 3);
        WaitPastGracePeriod();
        var failed = new System.Collections.Concurrent.ConcurrentBag<FrozenTrial>();
        Parallel.For(0, 4, _ =>
        {
            foreach (var t in new StaleTrialReaper(storage, s, Fast).FailStaleTrials()) failed.Add(t);
        });
        Assert.Single(failed);
        Assert.Equal(1, storage.CountTrials(s, new[] { TrialState.Waiting }));
    }

    [Fact]
    public void The_study_reaches_its_budget_when_a_worker_died_mid_trial()
    {
        var storage = Open();
        var study = Study.Create("s", storage: storage, sampler: new RandomSampler(seed: 3), seed: 3);
        int dead = DeadWorkersTrial(storage, study.StudyId, 4.5);
        const int budget = 6;

        Worker.Optimize(study, trial => Math.Pow(trial.SuggestFloat("x", -5, 5), 2), budget, LiveWithOneDead);

        var trials = storage.GetAllTrials(study.StudyId);
        Assert.Equal(budget, trials.Count(t => t.State == TrialState.Complete));
        Assert.Equal(new[] { dead }, trials.Where(t => t.State == TrialState.Fail).Select(t => t.TrialId));
        var retry = trials.Single(t => t.SystemAttrs.ContainsKey(TrialSystemAttrs.FailedTrial));
        Assert.Equal(TrialState.Complete, retry.State);
        Assert.Equal(4.5, retry.Params["x"]);
        Assert.Equal(4.5 * 4.5, retry.Value);
        Assert.Equal(budget + 1, trials.Count);
    }

    [Fact]
    public void A_retried_trial_is_drawn_and_seeded_as_its_first_attempt()
    {
        static double Objective(Trial trial) => trial.SuggestFloat("x", -5, 5) + trial.SuggestFloat("y", -5, 5);
        // What trial 0 draws and trains with when its worker lives.
        var reference = Study.Create("s", sampler: new RandomSampler(seed: 5), seed: 5);
        reference.Optimize(Objective, 1);
        var expected = reference.Trials[0];

        var storage = Open();
        var study = Study.Create("s", storage: storage, sampler: new RandomSampler(seed: 5), seed: 5, concurrency: 1);
        var dying = study.Ask();
        dying.SuggestFloat("x", -5, 5);
        storage.RecordHeartbeat(dying.TrialId); // then its worker dies before drawing y
        Worker.Optimize(study, Objective, 3, LiveWithOneDead);

        var retry = storage.GetAllTrials(study.StudyId).Single(t => t.SystemAttrs.ContainsKey(TrialSystemAttrs.FailedTrial));
        Assert.Equal(TrialState.Complete, retry.State);
        Assert.Equal(expected.Params, retry.Params);
        Assert.Equal(expected.SystemAttrs[TrialSystemAttrs.Seed], retry.SystemAttrs[TrialSystemAttrs.Seed]);
        Assert.Equal(expected.Value, retry.Value);
    }

    [Theory]
    [InlineData("tpe")]
    [InlineData("auto")]
    [InlineData("gp")]
    public void Parallel_and_resumed_workers_with_a_concurrency_draw_the_trials_of_a_sequential_run(string sampler)
    {
        // The GP refits its hyperparameters every five observations from fifty on: its study runs past sixty.
        int budget = sampler == "gp" ? 64 : 16, resumeAt = budget - 7;
        const int concurrency = 3;
        var jitter = new Random(); // each run schedules differently
        double Objective(Trial trial)
        {
            double x = trial.SuggestFloat("x", -5, 5), y = trial.SuggestFloat("y", 1e-3, 10, log: true);
            int pause;
            lock (jitter) pause = jitter.Next(30);
            Thread.Sleep(pause);
            return x * x + Math.Log(y);
        }
        // auto's GP starts after 5 trials and fits at every one after: trials 5..15 are the GP's.
        ISampler Make() => sampler switch
        {
            "auto" => new AutoSampler(seed: 9),
            "gp" => new GpSampler(seed: 9),
            _ => new TpeSampler(seed: 9, startupTrials: 4),
        };
        void AssertSameTrials(Study sequential, Study other)
        {
            Assert.Equal(budget, other.GetTrials(TrialState.Complete).Count);
            foreach (var (one, another) in sequential.Trials.Zip(other.Trials))
            {
                Assert.Equal(one.Number, another.Number);
                Assert.Equal(one.Params, another.Params);
                Assert.Equal(one.SystemAttrs[TrialSystemAttrs.Seed], another.SystemAttrs[TrialSystemAttrs.Seed]);
            }
        }

        var sequential = Study.Create("s", storage: Open(), sampler: Make(), seed: 9, concurrency: concurrency);
        Worker.Optimize(sequential, Objective, budget, LiveOnly);
        foreach (int workers in new[] { 2, 3 })
        {
            var storage = Open();
            Study.Create("s", storage: storage, sampler: Make(), seed: 9, concurrency: concurrency);
            Worker.OptimizeInParallel(workers, _ => Study.Load("s", storage, Make()), Objective, budget, LiveOnly);
            AssertSameTrials(sequential, Study.Load("s", storage));
        }
        // Resumed by a new sampler object, which has fitted nothing yet.
        var resumed = Open();
        Worker.Optimize(Study.Create("s", storage: resumed, sampler: Make(), seed: 9, concurrency: concurrency), Objective, resumeAt, LiveOnly);
        Worker.Optimize(Study.Load("s", resumed, Make()), Objective, budget, LiveOnly);
        AssertSameTrials(sequential, Study.Load("s", resumed));
    }

    [Fact]
    public void Parallel_workers_share_the_budget_exactly()
    {
        var storage = Open();
        var first = Study.Create("s", storage: storage, sampler: new RandomSampler(seed: 1), seed: 1);
        const int budget = 13;
        Worker.OptimizeInParallel(3, w => Study.Load("s", storage, sampler: new RandomSampler(seed: (ulong)w)),
            trial => trial.SuggestFloat("x", -5, 5), budget, LiveOnly);
        var trials = storage.GetAllTrials(first.StudyId);
        Assert.Equal(Enumerable.Range(0, budget), trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
    }
}

public sealed class SqliteWorkerTests : WorkerTests
{
    private readonly TemporaryDirectory _directory = new();
    private int _files;

    protected override IStudyStorage CreateStorage() => StorageUrl.Open(_directory.SqliteUrl($"study{_files++}.db"));

    public override void Dispose()
    {
        base.Dispose();
        _directory.Dispose();
    }
}

public sealed class PostgresWorkerTests : WorkerTests, IClassFixture<PostgresTestServer>
{
    private readonly PostgresTestServer _server;

    public PostgresWorkerTests(PostgresTestServer server) => _server = server;

    protected override IStudyStorage CreateStorage() => StorageUrl.Open(_server.CreateDatabase());
}
