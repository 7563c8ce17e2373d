using System.Diagnostics;
using System.Text.Json;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.Tests.Storage;
using Xunit.Abstractions;

namespace Sparta.Tuning.Tests.Workers;

/// <summary>
/// Two real worker processes share one study; one is killed with SIGKILL in the middle of a
/// trial. No finished trial is lost, the killed trial is failed (reason stored) and retried with
/// its parameters by the survivor, and the study ends with its whole budget of complete trials.
/// </summary>
public sealed class WorkerProcessTests : IClassFixture<PostgresTestServer>, IDisposable
{
    private const int Budget = 8;
    // The grace period (1.5 heartbeats, 9 s) is what the survivor's own heartbeats may lag on a loaded
    // machine before the survivor's live trial passes for dead too; the killed one is failed 9 to 12 s after the kill.
    private const int HeartbeatMs = 6000;
    private const int TrialMs = 450;

    private readonly PostgresTestServer _server;
    private readonly ITestOutputHelper _output;
    private readonly TemporaryDirectory _directory = new();

    public WorkerProcessTests(PostgresTestServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    public void Dispose() => _directory.Dispose();

    [Fact] public void Killing_one_of_two_workers_on_sqlite_loses_nothing() => KillOneOfTwoWorkers(_directory.SqliteUrl());
    [Fact] public void Killing_one_of_two_workers_on_postgresql_loses_nothing() => KillOneOfTwoWorkers(_server.CreateDatabase());

    private void KillOneOfTwoWorkers(string url)
    {
        int studyId;
        using (var storage = StorageUrl.Open(url)) studyId = storage.CreateStudy("shared", new[] { StudyDirection.Minimize });

        // The victim starts first, so it surely gets two trials however slowly the survivor
        // starts; it finishes one trial and dies in the middle of its second.
        using var victim = StartWorker(url, seed: 2);
        Process? started = null;
        var victimFinished = new List<int>();
        int killedNumber = -1;
        while (victim.StandardOutput.ReadLine() is string line)
        {
            var (word, number) = Parse(line);
            started ??= StartWorker(url, seed: 1);
            if (word == "finished") victimFinished.Add(number);
            else if (word == "started" && victimFinished.Count > 0)
            {
                Thread.Sleep(TrialMs / 3);
                killedNumber = number;
                break;
            }
        }
        if (killedNumber < 0) Assert.Fail("the victim worker never started a second trial: " + victim.StandardError.ReadToEnd());
        victim.Kill(); // SIGKILL: no cleanup, no last heartbeat
        var killedAt = DateTime.UtcNow;
        victim.WaitForExit();

        using var survivor = started!;
        string survivorOutput = survivor.StandardOutput.ReadToEnd();
        string survivorErrors = survivor.StandardError.ReadToEnd();
        Assert.True(survivor.WaitForExit(120_000), "the surviving worker did not finish the study");
        Assert.True(survivor.ExitCode == 0, $"the surviving worker failed ({survivor.ExitCode}): {survivorErrors}");

        using var check = StorageUrl.Open(url);
        var trials = check.GetAllTrials(studyId);
        Assert.Equal(Budget, trials.Count(t => t.State == TrialState.Complete));
        Assert.All(victimFinished, n => Assert.Equal(TrialState.Complete, trials.Single(t => t.Number == n).State));
        var killed = Assert.Single(trials, t => t.State == TrialState.Fail);
        Assert.Equal(killedNumber, killed.Number);
        Assert.Contains("heartbeat", JsonSerializer.Deserialize<string>(killed.SystemAttrs[TrialSystemAttrs.FailReason]));
        var retry = Assert.Single(trials, t => t.SystemAttrs.ContainsKey(TrialSystemAttrs.FailedTrial));
        Assert.Equal(killedNumber.ToString(), retry.SystemAttrs[TrialSystemAttrs.FailedTrial]);
        Assert.Equal(TrialState.Complete, retry.State);
        Assert.Equal(killed.Params["x"], retry.Params["x"]);
        Assert.Equal(Budget + 1, trials.Count);
        Assert.Contains($"finished {retry.Number}", survivorOutput);
        _output.WriteLine($"killed trial {killedNumber} failed {(killed.DatetimeComplete!.Value - killedAt).TotalSeconds:F2} s after the kill " +
                          $"(heartbeat interval {HeartbeatMs / 1000.0} s); survivor said: {survivorErrors.Trim()}");
    }

    private static Process StartWorker(string url, int seed) => WorkerHost.Start(url, "shared", Budget, HeartbeatMs, TrialMs, seed);

    private static (string Word, int Number) Parse(string line)
    {
        string[] parts = line.Split(' ');
        return parts.Length == 2 && int.TryParse(parts[1], out int n) ? (parts[0], n) : ("", -1);
    }
}
