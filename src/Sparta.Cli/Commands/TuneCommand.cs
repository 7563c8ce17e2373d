using System.Globalization;
using Sparta.Tuning;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Importance;
using Sparta.Tuning.Output;
using Sparta.Tuning.Pruners;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.TestFunctions;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta tune --objective branin --trials 50 --sampler tpe --seed 1</c>: tunes a built-in
/// test function, one line per finished trial, then the best trial; optionally exports the
/// trials and prints parameter importances.
/// </summary>
public sealed class TuneCommand : ICommand
{
    public string Name => "tune";
    public string Summary => "tune an experiment file (tune EXP.yaml --trials N [--sampler S] [--pruner P] [--seed S]) or a test function: tune --objective branin|hartmann6|rosenbrock:D|styblinski-tang:D --trials N --sampler S [--pruner P] [--seed S] [--stages N1,N2,...] [--export FILE.csv|.json] [--importance] [--best-out FILE.json] [--rerun K]; both forms take --best-out (an experiment file writes BEST.yaml) and --rerun K " + TuneStorageOptions.Usage;
    public IReadOnlySet<string> Flags => new HashSet<string> { "importance" };

    public int Run(Arguments args, TextWriter output)
    {
        if (args.Positional.Count == 1 && ExperimentObjective.IsExperimentFile(args.Positional[0])) return ExperimentObjective.Tune(args, output);
        if (args.Positional.Count > 0)
            throw new UsageException($"unexpected argument '{args.Positional[0]}': tune a test function with --objective NAME");
        string objectiveName = args.String("objective") ?? throw new UsageException("option --objective is required (branin, hartmann6, rosenbrock:D, styblinski-tang:D)");
        int trials = args.Int("trials", 50, 1, 1_000_000);
        string samplerName = args.String("sampler") ?? "tpe";
        string prunerName = args.String("pruner") ?? "none";
        ulong seed = (ulong)args.Int("seed", 0, 0, int.MaxValue);
        string? export = args.String("export");
        bool importance = args.Flag("importance");
        string? stages = args.String("stages");
        string? bestOut = args.String("best-out");
        int? rerun = args.String("rerun") is null ? null : args.Int("rerun", 0, 0, int.MaxValue);
        var storage = TuneStorageOptions.Parse(args);
        args.RejectUnknown("tune");

        var function = Named("--objective", "objective", () => TestFunction.Parse(objectiveName));
        var space = Enumerable.Range(0, function.Dimension)
            .ToDictionary(i => $"x{i + 1}", i => (Distribution)new FloatDistribution(function.Low[i], function.High[i]));
        // Checked here so a bad name is reported before any storage is opened; each worker creates its own.
        Named("--sampler", "sampler", () => SamplerCatalog.Create(samplerName, seed, space, trials));
        var pruner = Named("--pruner", "pruner", () => PrunerCatalog.Create(prunerName));
        string studyName = storage.NameOr($"{function.Name}-{samplerName}-{seed}");
        if (stages is not null && (storage.Given || rerun is not null))
            throw new UsageException("option --stages: coarse-to-fine runs its stages in memory; it takes no --storage, --study, --workers, --report or --rerun");
        if (rerun is int number)
            return TuneRerun.Run(storage.Open(s => s.FindStudy(studyName) is null
                ? throw new UsageException($"option --rerun: no study '{studyName}' in {StorageUrl.Mask(storage.Url)} (name it with --study)")
                : Study.Load(studyName, s)), number, function, output);
        var studies = stages is null
            ? new[] { new TuneStudyRun(storage, studyName, StudyDirection.Minimize, seed, trials,
                workerSeed => SamplerCatalog.Create(samplerName, workerSeed, space, trials), pruner).Run(function.Objective, output) }
            : RunStages(function, space, ParseStages(stages), samplerName, seed, output);
        var study = studies.MinBy(s => s.BestValue)!;
        output.WriteLine(TrialLine.Best(study.BestTrial));
        if (bestOut is not null)
        {
            BestConfigFile.Write(bestOut, study.BestTrial);
            output.WriteLine($"best configuration written to {bestOut}");
        }

        if (importance)
            foreach (var (name, share) in FanovaImportance.Evaluate(study.GetTrials(TrialState.Complete), seed))
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"importance {name}={share:F3}"));
        if (export is not null)
        {
            TrialExport.Write(export, study.Trials);
            output.WriteLine($"exported {study.Trials.Count} trials to {export}");
        }
        return 0;
    }

    /// <summary>
    /// Coarse to fine: stage k has budget k (test functions ignore it) and ranges narrowed from
    /// stage k - 1, never past the function's standard domain.
    /// </summary>
    private static IReadOnlyList<Study> RunStages(TestFunction function, IReadOnlyDictionary<string, Distribution> space, int[] trialsPerStage,
        string samplerName, ulong seed, TextWriter output)
    {
        var stages = trialsPerStage.Select((n, k) => new SearchStage(n, k + 1)).ToArray();
        var limits = Enumerable.Range(0, function.Dimension).ToDictionary(i => $"x{i + 1}", i => (function.Low[i], function.High[i]));
        var search = new CoarseToFine(space, stages, (stageSeed, stageSpace, n) => SamplerCatalog.Create(samplerName, stageSeed, stageSpace, n),
            new NarrowingRules { Limits = limits });
        int finished = 0, total = trialsPerStage.Sum();
        return search.Run((_, p, _) => function.Evaluate(p.Values.Select(v => (double)v!).ToArray()), function.Name, seed: seed, log: output,
            onTrialFinished: (_, trial) => output.WriteLine(TrialLine.Format(trial, ++finished, total)));
    }

    private static int[] ParseStages(string text) => text.Split(',').Select(part =>
        int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n : throw new UsageException($"option --stages: expected trial counts like 30,20, got '{text}'")).ToArray();

    /// <summary>Runs a factory; its one-line error, which names the key, then names the option as typed.</summary>
    private static T Named<T>(string option, string key, Func<T> create)
    {
        try { return create(); }
        catch (ArgumentException e)
        {
            string message = e.Message.StartsWith(key + ": ", StringComparison.Ordinal) ? e.Message[(key.Length + 2)..] : e.Message;
            throw new UsageException($"option {option}: {message}");
        }
    }
}
