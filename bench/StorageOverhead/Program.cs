using System.Diagnostics;
using System.Globalization;
using Sparta.Tuning;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage.Relational;

// Where the time of a trial goes, on branin, TPE by default:
//   dotnet run -c Release --project bench/StorageOverhead -- sqlite:////tmp/storage-bench.db 1000 [tpe|gp]
// prints the median milliseconds per trial spent in the storage, in the sampler (its own work,
// its storage reads counted as storage) and in all (ask, suggest, report, tell: the overhead a
// trial adds to the objective), over the first and the last 100 trials (a flat figure means the
// cost does not grow with the study).
// bench/StorageOverhead/peer_optuna.py prints the same line for Optuna 3.1's RDB storage.
if (args.Length is < 2 or > 3) { Console.Error.WriteLine("usage: StorageOverhead STORAGE_URL TRIALS [tpe|gp]"); return 2; }
int trials = int.Parse(args[1], CultureInfo.InvariantCulture);
string samplerName = args.Length == 3 ? args[2] : "tpe";
using var storage = new TimedStorage(StorageUrl.Open(args[0]));
var sampler = new TimedSampler(SamplerRegistry.Create(samplerName, seed: 1), storage);
var study = Study.Create($"storage-bench-{Guid.NewGuid():N}", storage: storage, sampler: sampler, seed: 1);
storage.TakeMilliseconds();
var storageMs = new double[trials];
var samplerMs = new double[trials];
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
    samplerMs[i] = sampler.TakeMilliseconds();
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
int window = Math.Min(100, trials);
string Window(string name, double[] ms) => string.Create(CultureInfo.InvariantCulture,
    $"{name}_ms first{window}={Median(ms.Take(window)):F3} last{window}={Median(ms.TakeLast(window)):F3}");
Console.WriteLine($"sparta sampler={samplerName} storage={StorageUrl.Mask(args[0])} trials={trials} " +
                  $"{Window("storage", storageMs)} {Window("sampler", samplerMs)} {Window("trial", totalMs)}");
return 0;
