using System.Diagnostics;
using System.Globalization;
using Sparta.Tuning;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage.Relational;

// Storage time per trial of a TPE study on branin:
//   dotnet run -c Release --project bench/StorageOverhead -- sqlite:////tmp/storage-bench.db 1000
// prints the median storage milliseconds per trial over the first and the last 100 trials (a flat
// figure means the storage costs the same however large the study), and the sampler's share.
// bench/StorageOverhead/peer_optuna.py prints the same line for Optuna 3.1's RDB storage.
if (args.Length != 2) { Console.Error.WriteLine("usage: StorageOverhead STORAGE_URL TRIALS"); return 2; }
int trials = int.Parse(args[1], CultureInfo.InvariantCulture);
using var storage = new TimedStorage(StorageUrl.Open(args[0]));
var study = Study.Create($"storage-bench-{Guid.NewGuid():N}", storage: storage, sampler: new TpeSampler(seed: 1), seed: 1);
storage.TakeMilliseconds();
var storageMs = new double[trials];
var totalMs = new double[trials];
for (int i = 0; i < trials; i++)
{
    long start = Stopwatch.GetTimestamp();
    var trial = study.Ask();
    double x1 = trial.SuggestFloat("x1", -5, 10), x2 = trial.SuggestFloat("x2", 0, 15);
    double branin = Math.Pow(x2 - 5.1 / (4 * Math.PI * Math.PI) * x1 * x1 + 5 / Math.PI * x1 - 6, 2) + 10 * (1 - 1 / (8 * Math.PI)) * Math.Cos(x1) + 10;
    trial.Report(branin, 0);
    study.Tell(trial, branin);
    totalMs[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    storageMs[i] = storage.TakeMilliseconds();
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
int window = Math.Min(100, trials);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sparta storage={StorageUrl.Mask(args[0])} trials={trials} storage_ms_per_trial first{window}={Median(storageMs.Take(window)):F3} " +
    $"last{window}={Median(storageMs.TakeLast(window)):F3} all={Median(storageMs):F3} trial_ms last{window}={Median(totalMs.TakeLast(window)):F3}"));
return 0;
