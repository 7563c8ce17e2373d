using System.Globalization;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.Workers;

namespace Sparta.Tuning.Tests.Workers;

/// <summary>
/// The entry point of this test assembly: one worker process of the multi-process tests.
/// <c>dotnet Sparta.Tuning.Tests.dll worker URL STUDY TRIALS HEARTBEAT_MS TRIAL_MS SEED</c> runs
/// trials of a small objective (x², three reported epochs, sleeping TRIAL_MS in all) until the
/// study holds TRIALS trials, and prints "started N" and "finished N" for each trial it runs.
/// </summary>
public static class WorkerHost
{
    public static int Main(string[] args)
    {
        if (args.Length != 7 || args[0] != "worker")
        {
            Console.Error.WriteLine("usage: Sparta.Tuning.Tests worker URL STUDY TRIALS HEARTBEAT_MS TRIAL_MS SEED");
            return 2;
        }
        string url = args[1], name = args[2];
        int trials = Int(args[3]), heartbeatMs = Int(args[4]), trialMs = Int(args[5]);
        ulong seed = (ulong)Int(args[6]);
        // Each line must reach the test at once: it kills this process on seeing "started".
        Console.SetOut(new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true });
        using var storage = StorageUrl.Open(url);
        var study = Study.Load(name, storage, sampler: new RandomSampler(seed));
        var options = new WorkerOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatMs) };
        Worker.Optimize(study, trial =>
        {
            Console.WriteLine($"started {trial.Number}");
            double x = trial.SuggestFloat("x", -5, 5);
            for (int epoch = 0; epoch < 3; epoch++)
            {
                Thread.Sleep(trialMs / 3);
                trial.Report(x * x + 3 - epoch, epoch);
            }
            return x * x;
        }, trials, options, onTrialFinished: (_, t) => Console.WriteLine($"finished {t.Number}"), log: Console.Error);
        return 0;
    }

    /// <summary>Starts a worker process of this assembly with its standard output and error redirected.</summary>
    public static System.Diagnostics.Process Start(string url, string study, int trials, int heartbeatMs, int trialMs, int seed)
    {
        // The dotnet host running these tests (the SDK names it), not whatever "dotnet" PATH finds first.
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new System.Diagnostics.ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { typeof(WorkerHost).Assembly.Location, "worker", url, study, $"{trials}", $"{heartbeatMs}", $"{trialMs}", $"{seed}" })
            start.ArgumentList.Add(a);
        return System.Diagnostics.Process.Start(start)!;
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
