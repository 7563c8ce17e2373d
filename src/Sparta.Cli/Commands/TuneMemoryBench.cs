using System.Diagnostics;
using System.Globalization;
using Sparta.Experiments;
using Sparta.Tuning;
using Sparta.Tuning.Experiments;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta tune-bench --memory EXP.yaml --trials 200 [--epochs 1] [--set key=value] [--sampler S] [--storage URL]</c>:
/// the resident memory of one worker over many real training trials. The experiment's search
/// runs in this process, one trial after another as a worker runs them, and the resident set
/// (VmRSS) is read after each trial. Prints the first, median, last and largest figures and the
/// least-squares slope over the trials after the first tenth (start-up: JIT, pools, first
/// collections), so a flat process shows a slope near zero whatever its size.
/// </summary>
internal static class TuneMemoryBench
{
    public static int Run(Experiment experiment, int trials, string samplerName, string? storageUrl, TextWriter output)
    {
        if (experiment.SearchSpace.Count == 0)
            throw new ExperimentException(experiment.File, "", "has no distribution to search: the memory benchmark tunes it");

        var objective = new ExperimentObjective(experiment, TextWriter.Null);
        var (config, factory) = SearchComponentOption.Parse("--sampler", samplerName, SamplerRegistry.Registry);
        var sampler = objective.Sampler(config!, factory!, 0, trials);
        using var storage = TuneBenchCommand.OpenStorage(storageUrl);
        var study = Study.Create($"tune-memory-{Guid.NewGuid():N}", objective.Direction, storage, sampler);

        var residentMiB = new List<double>(trials);
        var managedMiB = new List<double>(trials);
        long start = Stopwatch.GetTimestamp();
        study.Optimize(objective.Evaluate, trials, (_, _) =>
        {
            residentMiB.Add(ResidentBytes() / 1048576.0);
            managedMiB.Add(GC.GetTotalMemory(forceFullCollection: false) / 1048576.0);
        }, catchExceptions: new ExperimentSearchOptions().Catch);
        double secondsPerTrial = Stopwatch.GetElapsedTime(start).TotalSeconds / trials;
        int failed = study.GetTrials(TrialState.Fail).Count;

        int warmUp = Math.Max(trials / 10, 1);
        string every = string.Join(",", Enumerable.Range(0, 11).Select(k => residentMiB[Math.Min(k * trials / 10, trials - 1)].ToString("F0", CultureInfo.InvariantCulture)));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tool=sparta memory={Path.GetFileName(experiment.File)} sampler={samplerName} storage={(storageUrl is null ? "memory" : StorageUrl.Mask(storageUrl))} trials={trials} failed={failed} " +
            $"rss_mib first={residentMiB[0]:F1} median={TuneBenchCommand.Median(residentMiB):F1} last={residentMiB[^1]:F1} max={residentMiB.Max():F1} " +
            $"slope_mib_per_100_trials={100 * Slope(residentMiB, warmUp):F2} managed_mib first={managedMiB[0]:F1} last={managedMiB[^1]:F1} " +
            $"managed_slope_mib_per_100_trials={100 * Slope(managedMiB, warmUp):F2} seconds_per_trial={secondsPerTrial:F3} rss_every_tenth={every}"));
        return 0;
    }

    /// <summary>The process's resident set: VmRSS from /proc/self/status on Linux, the working set elsewhere.</summary>
    internal static long ResidentBytes()
    {
        const string path = "/proc/self/status";
        if (File.Exists(path))
            foreach (string line in File.ReadLines(path))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return Environment.WorkingSet;
    }

    /// <summary>Least-squares slope (per trial) of the values after the first <paramref name="skip"/>.</summary>
    internal static double Slope(IReadOnlyList<double> values, int skip)
    {
        int n = values.Count - skip;
        if (n < 2) return 0;
        double meanX = skip + (n - 1) / 2.0, meanY = values.Skip(skip).Average();
        double covariance = 0, variance = 0;
        for (int i = skip; i < values.Count; i++)
        {
            covariance += (i - meanX) * (values[i] - meanY);
            variance += (i - meanX) * (i - meanX);
        }
        return covariance / variance;
    }
}
