using System.Diagnostics;
using System.Globalization;
using Sparta.Training;
using Sparta.Training.Callbacks;
using Sparta.Tuning;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Dashboard;

/// <summary>
/// One request of a page: its wall time (the median over the repeats) and the processor time the
/// process spent on it (the mean over the repeats; other processes on a shared machine do not
/// inflate it), in milliseconds, and the size of the answer.
/// </summary>
public sealed record TimedRequest(string Page, string Path, double MedianMs, double CpuMs, int Bytes);

/// <summary>
/// How long the dashboard takes to answer what its pages ask for, on a large study and many
/// runs: a SQLite study of <c>trials</c> trials (three parameters, five reports each, one in ten
/// pruned) and <c>runs</c> run directories of <c>epochs</c> epochs each, served on a loopback port
/// and read over HTTP as the page reads them: a study's page (its trials and every chart), the
/// list of runs, and all the runs compared (the trials as the table asks for them, a page of 100). Each request is timed <c>repeats</c> times after one
/// untimed warm-up; how long the importance chart takes to be fitted in the background (a forest
/// fitted to the trials, kept until they change) is timed on its own.
/// </summary>
public static class DashboardBenchmark
{
    public sealed record Result(IReadOnlyList<TimedRequest> Requests, double ImportanceFitSeconds, double SetupSeconds);

    /// <param name="keep">A new directory to write the study (studies.db) and the runs (runs/) into and leave there,
    /// for <c>sparta dashboard</c> to serve them to a browser; null writes them to a temporary directory removed at the end.</param>
    public static async Task<Result> RunAsync(int trials, int runs, int epochs, int repeats, TextWriter? progress = null, string? keep = null)
    {
        if (keep is not null && Directory.Exists(keep) && Directory.EnumerateFileSystemEntries(keep).Any())
            throw new IOException($"dashboard benchmark: '{keep}' is not empty; name a new directory");
        string root = keep ?? Path.Combine(Path.GetTempPath(), $"sparta-dashboard-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            long setup = Stopwatch.GetTimestamp();
            string url = $"sqlite:///{Path.Combine(root, "studies.db")}";
            using (var writer = StorageUrl.Open(url)) WriteStudy(writer, trials);
            string runsDirectory = Path.Combine(root, "runs");
            var names = Enumerable.Range(0, runs).Select(i => $"run-{i:D3}").ToArray();
            for (int i = 0; i < runs; i++) WriteRun(Path.Combine(runsDirectory, names[i]), epochs, i);
            double setupSeconds = Stopwatch.GetElapsedTime(setup).TotalSeconds;
            progress?.WriteLine($"wrote a study of {trials} trials and {runs} runs of {epochs} epochs in {setupSeconds:F1} s");

            using var storage = StorageUrl.OpenReadOnly(url);
            await using var server = await DashboardServer.StartAsync(storage, runsDirectory, ListenAddress.Loopback(0));
            using var client = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(30) };
            string all = string.Join(',', names);
            // The trials table asks for a page of 100 trials, sorted and filtered by the server.
            var requests = new List<(string Page, string Path)> { ("study", "api/studies"), ("study", "api/studies/bench/trials?offset=0&limit=100&sort=value&descending=false") };
            // The study has one objective: no Pareto front.
            requests.AddRange(StudyChartApi.Names.Where(chart => chart != "pareto").Select(chart => ("study", $"api/studies/bench/{chart}.svg")));
            requests.AddRange([("study", "api/studies/bench/trials/0"), ("study", "api/studies/bench/trials/0/curve.svg"),
                ("runs", "api/runs"), ("runs", $"api/runs/{names[0]}"), ("runs", $"api/runs/{names[0]}/history.svg"),
                ("compare", $"api/compare?runs={all}"), ("compare", $"api/compare/loss.svg?runs={all}&smoothing=0.6"),
                ("compare", $"api/compare/val_accuracy.svg?runs={all}&x=time")]);

            // The importance chart answers at once with "being fitted" until the forest is fitted in the background.
            long first = Stopwatch.GetTimestamp();
            while ((await client.GetStringAsync("api/studies/bench/importance.svg")).Contains(StudyChartApi.Computing, StringComparison.Ordinal))
                await Task.Delay(100);
            double fitted = Stopwatch.GetElapsedTime(first).TotalSeconds;

            var timed = new List<TimedRequest>();
            foreach (var (page, path) in requests)
            {
                int bytes = await GetAsync(client, path); // warm-up
                var times = new List<double>();
                var cpu = ProcessorTime();
                for (int r = 0; r < repeats; r++)
                {
                    long start = Stopwatch.GetTimestamp();
                    await GetAsync(client, path);
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                double cpuMs = (ProcessorTime() - cpu).TotalMilliseconds / repeats;
                times.Sort();
                timed.Add(new TimedRequest(page, path.Replace(all, $"<{runs} runs>", StringComparison.Ordinal), times[times.Count / 2], cpuMs, bytes));
            }
            return new Result(timed, fitted, setupSeconds);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keep is null) Directory.Delete(root, recursive: true);
        }
    }

    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static async Task<int> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"dashboard benchmark: GET {path} answered {(int)response.StatusCode}");
        return body.Length;
    }

    private static void WriteStudy(IStudyStorage storage, int trials)
    {
        var study = Study.Create("bench", StudyDirection.Minimize, storage, new RandomSampler(1), seed: 1);
        study.Optimize(trial =>
        {
            double lr = trial.SuggestFloat("lr", 1e-5, 1, log: true);
            int units = trial.SuggestInt("units", 16, 512);
            string activation = trial.SuggestCategorical<string>("activation", ["relu", "tanh", "elu"]);
            double value = Math.Abs(Math.Log10(lr) + 3) + 100.0 / units + (activation == "tanh" ? 0.2 : 0);
            for (int step = 0; step < 5; step++)
            {
                trial.Report(value + 1.0 / (step + 1), step);
                if (trial.Number % 10 == 9 && step == 2) throw new TrialPruned("benchmark");
            }
            return value;
        }, trials);
    }

    /// <summary>Batches an epoch of Fashion-MNIST's 54,000 training images at 128 a batch: the rows of learning_curve.csv.</summary>
    private const int BatchesPerEpoch = 422;

    /// <summary>A finished run's files as sparta train writes them: history.json, learning_curve.csv, result.json, experiment.yaml.</summary>
    private static void WriteRun(string directory, int epochs, int index)
    {
        Directory.CreateDirectory(directory);
        var history = new History();
        for (int e = 1; e <= epochs; e++)
            history.Add(e, new Dictionary<string, double>
            {
                ["loss"] = 2.0 / (e + index), ["accuracy"] = 1 - 0.5 / e, ["val_loss"] = 2.2 / (e + index) + 0.001 * e,
                ["val_accuracy"] = 1 - 0.6 / e, ["learning_rate"] = 0.001, ["epoch_seconds"] = 1.5,
            });
        File.WriteAllText(Path.Combine(directory, "history.json"), HistoryLogger.ToJson(history));
        var curve = new System.Text.StringBuilder("step,epoch,loss\n");
        for (int step = 1; step <= epochs * BatchesPerEpoch; step++)
            curve.Append(CultureInfo.InvariantCulture, $"{step},{(step - 1) / BatchesPerEpoch + 1},{2.0 / (1 + step / 100.0) + 0.05 * Math.Sin(step)}\n");
        File.WriteAllText(Path.Combine(directory, "learning_curve.csv"), curve.ToString());
        File.WriteAllText(Path.Combine(directory, "result.json"), string.Create(CultureInfo.InvariantCulture, $"{{\"val_accuracy\": {1 - 0.6 / epochs}, \"epochs\": {epochs}}}"));
        File.WriteAllText(Path.Combine(directory, "experiment.yaml"), string.Create(CultureInfo.InvariantCulture,
            $"name: mlp\nseed: {index}\nepochs: {epochs}\nmodel:\n  layers:\n    - flatten\n    - {{name: dense, units: {64 * (1 + index % 4)}, activation: relu}}\n    - {{name: dense, units: 10}}\noptimizer: {{name: adam, learning_rate: 0.001}}\n"));
    }
}
