using System.Collections.Concurrent;
using System.Diagnostics;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.Tests.Storage;
using Xunit.Abstractions;

namespace Sparta.Tuning.Tests.Workers;

/// <summary>
/// Chaos: three worker processes share one study; at seeded random moments one of them is killed
/// with SIGKILL (mid-trial, mid-report or mid-commit, wherever it happens to be) and a fresh one
/// takes its place, until the study's budget is reached. Every trial a worker saw finish is kept,
/// trial numbers are unique and gapless, no trial is left RUNNING or WAITING, and the number of
/// complete trials is exactly the budget.
/// </summary>
public sealed class WorkerChaosTests : IClassFixture<PostgresTestServer>, IDisposable
{
    private const int Budget = 14;
    private const int HeartbeatMs = 1000;
    private const int TrialMs = 300;
    private const int Kills = 4;

    private readonly PostgresTestServer _server;
    private readonly ITestOutputHelper _output;
    private readonly TemporaryDirectory _directory = new();

    public WorkerChaosTests(PostgresTestServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    public void Dispose() => _directory.Dispose();

    [Fact] public void Workers_killed_at_random_on_sqlite_lose_no_finished_trial_and_keep_the_budget() => Chaos(_directory.SqliteUrl(), seed: 11);
    [Fact] public void Workers_killed_at_random_on_postgresql_lose_no_finished_trial_and_keep_the_budget() => Chaos(_server.CreateDatabase(), seed: 12);

    private void Chaos(string url, int seed)
    {
        int studyId;
        using (var storage = StorageUrl.Open(url)) studyId = storage.CreateStudy("chaos", [StudyDirection.Minimize]);
        var random = new Random(seed);
        var finished = new ConcurrentBag<int>();
        int started = 0, nextSeed = 100 * seed;
        var workers = new List<Process>();

        Process Launch()
        {
            var worker = WorkerHost.Start(url, "chaos", Budget, HeartbeatMs, TrialMs, nextSeed++);
            worker.OutputDataReceived += (_, line) =>
            {
                if (line.Data?.Split(' ') is ["finished", var n]) finished.Add(int.Parse(n));
                else if (line.Data?.StartsWith("started ", StringComparison.Ordinal) == true) Interlocked.Increment(ref started);
            };
            worker.ErrorDataReceived += (_, _) => { };
            worker.BeginOutputReadLine();
            worker.BeginErrorReadLine();
            workers.Add(worker);
            return worker;
        }

        var live = Enumerable.Range(0, 3).Select(_ => Launch()).ToList();
        for (int kill = 0; kill < Kills; kill++)
        {
            // Wait for a trial to start, then strike at a random point of the trials under way.
            int before = Volatile.Read(ref started);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Volatile.Read(ref started) == before && live.Any(w => !w.HasExited) && DateTime.UtcNow < deadline) Thread.Sleep(10);
            Thread.Sleep(random.Next(TrialMs));
            var victim = live[random.Next(live.Count)];
            if (victim.HasExited) break; // the budget was reached
            victim.Kill();
            victim.WaitForExit();
            live.Remove(victim);
            live.Add(Launch());
            _output.WriteLine($"kill {kill + 1}: a worker killed after {before} trial starts");
        }
        foreach (var worker in live)
        {
            Assert.True(worker.WaitForExit(180_000), "a worker did not finish the study");
            Assert.Equal(0, worker.ExitCode);
        }
        foreach (var worker in workers) worker.Dispose();

        using var check = StorageUrl.Open(url);
        var trials = check.GetAllTrials(studyId);
        Assert.Equal(Budget, trials.Count(t => t.State == TrialState.Complete));
        Assert.DoesNotContain(trials, t => t.State is TrialState.Running or TrialState.Waiting);
        Assert.Equal(Enumerable.Range(0, trials.Count), trials.Select(t => t.Number).Order());
        Assert.All(finished, n => Assert.Equal(TrialState.Complete, trials.Single(t => t.Number == n).State));
        Assert.All(trials.Where(t => t.State == TrialState.Fail), t => Assert.Contains("heartbeat", t.SystemAttrs[TrialSystemAttrs.FailReason]));
        _output.WriteLine($"{trials.Count} trials: {trials.Count(t => t.State == TrialState.Complete)} complete, " +
                          $"{trials.Count(t => t.State == TrialState.Fail)} failed by a kill; {finished.Count} seen finished");
    }
}
