using Sparta.Tuning.Distributions;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Tuning.Tests.Storage;

/// <summary>
/// What only a shared database shows: several storage objects (each with its own connections,
/// as separate processes have) working on one study at once, and each one's cached reads
/// keeping up with the others' writes.
/// </summary>
public abstract class RelationalStorageTests : IDisposable
{
    private readonly List<IStudyStorage> _opened = new();

    /// <summary>The URL of a new, empty database.</summary>
    protected abstract string CreateDatabase();

    private IStudyStorage Open(string url)
    {
        var storage = StorageUrl.Open(url);
        lock (_opened) _opened.Add(storage);
        return storage;
    }

    public virtual void Dispose()
    {
        foreach (var s in _opened) s.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Workers_opening_a_new_database_at_once_create_its_schema_once()
    {
        string url = CreateDatabase();
        var storages = new IStudyStorage[4];
        Parallel.For(0, storages.Length, i => storages[i] = Open(url));
        Parallel.For(0, storages.Length, i => storages[i].CreateStudy($"s{i}", new[] { StudyDirection.Minimize }));
        Assert.Equal(new[] { "s0", "s1", "s2", "s3" }, storages[0].GetAllStudies().Select(x => x.Name).Order());
    }

    [Fact]
    public void Four_connections_writing_one_study_at_once_never_collide()
    {
        string url = CreateDatabase();
        int s = Open(url).CreateStudy("s", new[] { StudyDirection.Minimize });
        var x = new FloatDistribution(0, 1);
        Parallel.For(0, 4, worker =>
        {
            var storage = Open(url);
            while (storage.CreateTrialWithinBudget(s, 60, Enum.GetValues<TrialState>()) is int id)
            {
                storage.SetTrialParam(id, "x", worker / 4.0, x);
                storage.SetTrialIntermediateValue(id, 0, worker);
                storage.SetTrialStateValues(id, TrialState.Complete, new[] { (double)worker });
            }
        });
        var trials = Open(url).GetAllTrials(s);
        Assert.Equal(Enumerable.Range(0, 60), trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(t.Params["x"], t.Value!.Value / 4.0));
    }

    [Fact]
    public void A_reader_sees_what_other_connections_change_after_its_first_read()
    {
        string url = CreateDatabase();
        var reader = Open(url);
        var writer = Open(url);
        int s = writer.CreateStudy("s", new[] { StudyDirection.Maximize });
        int running = writer.CreateTrial(s);
        int finished = writer.CreateTrial(s);
        writer.SetTrialStateValues(finished, TrialState.Complete, new[] { 1.0 });
        Assert.Equal(new[] { TrialState.Running, TrialState.Complete }, reader.GetAllTrials(s).Select(t => t.State));

        writer.SetTrialParam(running, "n", 3, new IntDistribution(1, 5));
        writer.SetTrialStateValues(running, TrialState.Pruned, new[] { 0.5 });
        int added = writer.CreateTrial(s);
        writer.SetTrialUserAttr(added, "note", "\"new\"");

        var trials = reader.GetAllTrials(s);
        Assert.Equal(new[] { TrialState.Pruned, TrialState.Complete, TrialState.Running }, trials.Select(t => t.State));
        Assert.Equal(3L, trials[0].Params["n"]);
        Assert.Equal(0.5, trials[0].Value);
        Assert.Equal("\"new\"", trials[2].UserAttrs["note"]);
        Assert.Equal(new[] { 1 }, reader.GetAllTrials(s, new[] { TrialState.Complete }).Select(t => t.Number));
        Assert.Equal(TrialState.Pruned, reader.GetTrial(running).State);
    }

    [Fact]
    public void A_read_of_finished_trials_only_leaves_running_trials_whole_for_later_reads()
    {
        string url = CreateDatabase();
        var reader = Open(url);
        var writer = Open(url);
        int s = writer.CreateStudy("s", new[] { StudyDirection.Minimize });
        int running = writer.CreateTrial(s);
        writer.SetTrialParam(running, "x", 0.25, new FloatDistribution(0, 1));
        Assert.Empty(reader.GetAllTrials(s, new[] { TrialState.Complete, TrialState.Pruned }));

        var whileRunning = reader.GetAllTrials(s).Single();
        Assert.Equal(TrialState.Running, whileRunning.State);
        Assert.Equal(0.25, whileRunning.Params["x"]);

        writer.SetTrialIntermediateValue(running, 0, 2.0);
        writer.SetTrialStateValues(running, TrialState.Complete, new[] { 1.5 });
        var finished = reader.GetAllTrials(s, new[] { TrialState.Complete }).Single();
        Assert.Equal((0.25, 1.5, 2.0), ((double)finished.Params["x"]!, finished.Value!.Value, finished.IntermediateValues[0]));
        Assert.Same(finished, reader.GetTrial(running)); // cached whole, once finished
    }

    [Fact]
    public void Retries_of_dead_workers_trials_do_not_count_towards_the_budget()
    {
        var storage = Open(CreateDatabase());
        int s = storage.CreateStudy("s", new[] { StudyDirection.Minimize });
        var all = Enum.GetValues<TrialState>();
        int failed = storage.CreateTrialWithinBudget(s, 2, all)!.Value;
        storage.SetTrialStateValues(failed, TrialState.Fail);
        storage.CreateTrial(s, new FrozenTrial
        {
            State = TrialState.Waiting,
            SystemAttrs = new Dictionary<string, string> { [TrialSystemAttrs.FailedTrial] = "0", [TrialSystemAttrs.RetryHistory] = "[0]" },
        });
        Assert.NotNull(storage.CreateTrialWithinBudget(s, 2, all)); // the failed attempt and one more
        Assert.Null(storage.CreateTrialWithinBudget(s, 2, all));
        Assert.Equal(3, storage.CountTrials(s));
    }
}

public sealed class SqliteRelationalStorageTests : RelationalStorageTests
{
    private readonly TemporaryDirectory _directory = new();
    private int _files;

    protected override string CreateDatabase() => _directory.SqliteUrl($"study{Interlocked.Increment(ref _files)}.db");

    public override void Dispose()
    {
        base.Dispose();
        _directory.Dispose();
    }
}

public sealed class PostgresRelationalStorageTests : RelationalStorageTests, IClassFixture<PostgresTestServer>
{
    private readonly PostgresTestServer _server;

    public PostgresRelationalStorageTests(PostgresTestServer server) => _server = server;

    protected override string CreateDatabase() => _server.CreateDatabase();
}
