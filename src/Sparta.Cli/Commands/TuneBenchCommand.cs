using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sparta.Tensors;
using Sparta.Tuning;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.TestFunctions;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta tune-bench --objective branin --samplers random,tpe,gp --seeds 20 --trials 100 --checkpoints 50,100 [--storage URL]</c>:
/// search quality (median over seeds of the best value after each checkpoint) and overhead per
/// trial (the time a trial takes besides evaluating the function: sampler plus storage; median
/// over all trials and over the last 10%) and the process's CPU time per trial, one line per sampler.
/// Studies live in memory unless <c>--storage</c> names a database (each seed a new study in it).
/// bench/peers/optuna_testfunctions.py prints the same lines for Optuna.
/// </summary>
public sealed class TuneBenchCommand : SpartaCommand
{
    private readonly Option<string?> _memory = OptionFactory.OptionalText("--memory", "measure the resident memory of one worker over the trials of this experiment file instead", "EXP.yaml");
    private readonly Option<string> _objective = OptionFactory.Text("--objective", "test function: branin, hartmann6, rosenbrock:D or styblinski-tang:D; or surrogate:FILE, a tuning task's model built by bench/fmnist_surrogate.py", "branin", "NAME");
    private readonly Option<string> _samplers = OptionFactory.Text("--samplers", "samplers to compare, separated by commas; each a name or a mapping such as '{name: tpe, ei_candidates: 48}'", "random,tpe,gp", "S1,S2,...");
    private readonly Option<int> _seeds = OptionFactory.Int("--seeds", "studies per sampler, seeds 0 to N-1", 20, 1, 10_000);
    private readonly Option<int?> _trials = OptionFactory.OptionalInt("--trials", "trials per study (default: 100; 200 with --memory)", 1, 1_000_000);
    private readonly Option<string?> _checkpoints = OptionFactory.OptionalText("--checkpoints", "trial counts at which the median best value is printed (default: the last trial)", "N1,N2,...");
    private readonly Option<string?> _storage = OptionFactory.OptionalText("--storage", "keep the studies in this database instead of memory", "URL");
    private readonly Option<bool> _curves = OptionFactory.Flag("--curves", "also print each study's best value after every trial, a line per seed (the input of bench/fmnist_surrogate.py compare)");
    private readonly Option<string> _sampler = OptionFactory.Text("--sampler", "the sampler of the --memory study", "tpe", "NAME");
    private readonly ExperimentOptions _experiment;

    public TuneBenchCommand() : base("tune-bench", "Measure samplers: search quality (median best value over seeds) and overhead per trial; or, with --memory, a worker's memory over training trials.",
        "sparta tune-bench --objective branin --samplers random,tpe,gp --seeds 20 --trials 100 --checkpoints 50,100",
        "sparta tune-bench --memory examples/fashion-mnist-mlp-search.yaml --trials 200 --epochs 1 --set data.train_samples=3000")
    {
        foreach (var option in new Option[] { _memory, _objective, _samplers, _seeds, _trials, _checkpoints, _storage, _curves, _sampler }) Add(option);
        _experiment = new ExperimentOptions(this);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string? storageUrl = parse.GetValue(_storage);
        if (parse.GetValue(_memory) is string experimentFile)
        {
            int memoryTrials = parse.GetValue(_trials) ?? 200;
            if (memoryTrials < 2) throw new UsageException($"option --trials: the memory benchmark needs at least 2 trials, got {memoryTrials}");
            return TuneMemoryBench.Run(_experiment.Load(parse, experimentFile), memoryTrials, parse.GetValue(_sampler)!, storageUrl, output);
        }
        if (_experiment.All.Append(_sampler).FirstOrDefault(parse.Given) is { } memoryOnly)
            throw new UsageException($"option {memoryOnly.Name} applies to the --memory benchmark");
        string objective = parse.GetValue(_objective)!;
        var samplers = SplitOutsideBraces(parse.GetValue(_samplers)!);
        int seeds = parse.GetValue(_seeds);
        int trials = parse.GetValue(_trials) ?? 100;
        var checkpoints = (parse.GetValue(_checkpoints) ?? trials.ToString(CultureInfo.InvariantCulture)).Split(',')
            .Select(c => int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k >= 1 && k <= trials
                ? k : throw new UsageException($"option --checkpoints: expected trial counts in [1, {trials}], got '{c}'")).ToArray();

        var (objectiveName, space, suggest) = ParseObjective(objective);

        // Every sampler is checked before the first study runs; the spec without spaces names it in the output and the study names.
        var factories = samplers.Select(spec => (Name: string.Concat(spec.Where(c => !char.IsWhiteSpace(c))),
            Create: SearchComponentOption.Parse("--samplers", spec, SamplerRegistry.Registry).Component!)).ToArray();
        foreach (var (samplerName, createSampler) in factories)
        {
            var bestAt = checkpoints.Select(_ => new List<double>()).ToArray();
            var overheads = new List<double>();
            var lateOverheads = new List<double>();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (int seed = 0; seed < seeds; seed++)
            {
                var sampler = createSampler((ulong)seed, space, trials);
                using var storage = OpenStorage(storageUrl);
                var study = Study.Create($"tune-bench-{samplerName}-{seed}-{Guid.NewGuid():N}", storage: storage, sampler: sampler, seed: (ulong)seed);
                double best = double.PositiveInfinity;
                var curve = new List<double>(trials);
                double objectiveSeconds = 0;
                long start = Stopwatch.GetTimestamp();
                study.Optimize(trial =>
                {
                    // Suggesting is the sampler's work (define-by-run); only the evaluation is the objective's.
                    var evaluate = suggest((ulong)seed, trial);
                    long t0 = Stopwatch.GetTimestamp();
                    double value = evaluate();
                    objectiveSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                    return value;
                }, trials, (_, trial) =>
                {
                    double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds - objectiveSeconds;
                    start = Stopwatch.GetTimestamp();
                    overheads.Add(seconds);
                    if (trial.Number >= trials - Math.Max(trials / 10, 1)) lateOverheads.Add(seconds);
                    if (trial.Value is double v) best = Math.Min(best, v);
                    curve.Add(best);
                    for (int c = 0; c < checkpoints.Length; c++)
                        if (trial.Number + 1 == checkpoints[c]) bestAt[c].Add(best);
                });
                if (parse.GetValue(_curves))
                    output.WriteLine($"sampler={samplerName} seed={seed} curve={string.Join(",", curve.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}");
            }
            double cpuMsPerTrial = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / ((double)seeds * trials);
            string quality = string.Join(" ", checkpoints.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"median_best@{c}={Median(bestAt[i]):G6}")));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tool=sparta objective={objectiveName} sampler={samplerName} storage={(storageUrl is null ? "memory" : StorageUrl.Mask(storageUrl))} seeds={seeds} {quality} overhead_ms_median={Median(overheads) * 1e3:F3} overhead_ms_last10pct={Median(lateOverheads) * 1e3:F3} cpu_ms_per_trial={cpuMsPerTrial:F3}"));
        }
        return 0;
    }

    /// <summary>
    /// The objective's name, search space, and a function that suggests a trial's parameters and
    /// returns their evaluation: a test function, or <c>surrogate:FILE</c>, a tuning task's model
    /// (<see cref="SurrogateObjective"/>) whose noise is drawn from a stream of the study's seed and the trial's number.
    /// </summary>
    private static (string Name, Dictionary<string, Distribution> Space, Func<ulong, Trial, Func<double>> Suggest) ParseObjective(string spec)
    {
        try
        {
            if (spec.StartsWith("surrogate:", StringComparison.Ordinal))
            {
                var surrogate = SurrogateObjective.Load(spec["surrogate:".Length..]);
                return (surrogate.Name, surrogate.Space.ToDictionary(), (seed, trial) =>
                {
                    var values = surrogate.Suggest(trial);
                    var noise = new RandomGenerator(seed).Fork("surrogate-noise").Fork((ulong)trial.Number);
                    return () => surrogate.Evaluate(values, noise);
                });
            }
            var function = TestFunction.Parse(spec);
            var space = Enumerable.Range(0, function.Dimension)
                .ToDictionary(i => $"x{i + 1}", i => (Distribution)new FloatDistribution(function.Low[i], function.High[i]));
            return (function.Name, space, (_, trial) =>
            {
                var x = new double[function.Dimension];
                for (int i = 0; i < x.Length; i++) x[i] = trial.SuggestFloat($"x{i + 1}", function.Low[i], function.High[i]);
                return () => function.Evaluate(x);
            });
        }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    /// <summary>The comma-separated items of <paramref name="text"/>, commas inside a mapping's braces or a list's brackets kept.</summary>
    internal static string[] SplitOutsideBraces(string text)
    {
        var items = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] is '{' or '[') depth++;
            else if (i < text.Length && text[i] is '}' or ']') depth--;
            else if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                if (text[start..i].Trim() is { Length: > 0 } item) items.Add(item);
                start = i + 1;
            }
        }
        return items.ToArray();
    }

    internal static IStudyStorage OpenStorage(string? url)
    {
        if (url is null) return new InMemoryStorage();
        try { return StorageUrl.Open(url); }
        catch (ArgumentException e) { throw new UsageException($"option --storage: {e.Message}"); }
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        int n = sorted.Length;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
