using Sparta.Configuration;
using System.CommandLine;
using System.Globalization;
using Sparta.Tuning;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Experiments;
using Sparta.Tuning.Importance;
using Sparta.Tuning.Output;
using Sparta.Tuning.Pruners;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.TestFunctions;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta tune EXP.yaml --trials 20</c> tunes an experiment file (<see cref="ExperimentSearch"/>);
/// <c>sparta tune --objective branin --trials 50 --sampler tpe --seed 1</c> tunes a built-in
/// test function, one line per finished trial, then the best trial; optionally exports the
/// trials and prints parameter importances.
/// </summary>
public sealed class TuneCommand : SpartaCommand
{
    private readonly Argument<string?> _file = new("EXP.yaml") { Description = "an experiment file whose values are distributions ({loguniform: [1e-4, 1e-1]}, ...)", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> _objective = OptionFactory.OptionalText("--objective",
        $"a test function to tune instead: branin, hartmann6, rosenbrock:D or styblinski-tang:D; of several objectives: {MultiObjectiveFunction.Known}", "NAME");
    private readonly Option<int?> _trials = OptionFactory.OptionalInt("--trials", "trials in the study, counting those already stored (default: 20 for a file, 50 for a function)", 1, 1_000_000);
    private readonly Option<string?> _sampler = OptionFactory.OptionalText("--sampler",
        $"the sampler: {SearchComponentOption.Names(SamplerRegistry.Registry)}, or a name with parameters '{{name: tpe, startup_trials: 20}}' (default: the file's search.sampler, else auto: the GP while the space is numeric, without constraints, below 200 trials; TPE otherwise)", "SAMPLER");
    private readonly Option<string?> _pruner = OptionFactory.OptionalText("--pruner",
        $"the pruner: {SearchComponentOption.Names(PrunerRegistry.Registry)}, or a name with parameters '{{name: median, warmup_steps: 2}}' (default: the file's search.pruner, else none)", "PRUNER");
    private readonly Option<int?> _seed = CommonOptions.Seed("the study's seed (default 0); trial k trains with a seed drawn from it");
    private readonly Option<string?> _bestOut = OptionFactory.OptionalText("--best-out", "write the best trial: a ready experiment file for EXP.yaml, its parameters as JSON for a function", "FILE");
    private readonly Option<int?> _rerun = OptionFactory.OptionalInt("--rerun", "evaluate stored trial K again with its parameters and seed, and print both values", 0, int.MaxValue);
    private readonly Option<string?> _stages = OptionFactory.OptionalText("--stages", "coarse to fine: trials per stage, each stage narrowing the ranges around the best (stage k of K of a file trains epochs·k/K epochs)", "N1,N2,...");
    private readonly Option<string?> _export = OptionFactory.OptionalText("--export", "write the trials as CSV or JSON", "FILE.csv|FILE.json");
    private readonly Option<bool> _importance = OptionFactory.Flag("--importance", "print each parameter's importance (fANOVA)");
    private readonly Option<string?> _trialRuns = OptionFactory.OptionalText("--trial-runs",
        "write each trial's run directory under DIR as it trains (DIR/STUDY-trial-N): the dashboard shows its curves and links the trial to it", "DIR");
    private readonly StorageOptions _storage;
    private readonly ExperimentOptions _experiment;
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public TuneCommand() : base("tune", "Search the distributions of an experiment file (or a test function) with a sampler and a pruner; the study is stored and can be resumed.",
        "sparta tune examples/fashion-mnist-mlp-search.yaml --trials 20 --pruner median --best-out best.yaml",
        "sparta tune examples/fashion-mnist-mlp-search.yaml --trials 40 --workers 2 --study mlp --storage sqlite:///runs/mlp.db",
        "sparta tune --objective branin --trials 50 --sampler gp --seed 1 --importance")
    {
        Add(_file);
        foreach (var option in new Option[] { _objective, _trials, _sampler, _pruner, _seed, _bestOut, _rerun, _stages, _export, _importance, _trialRuns }) Add(option);
        _storage = new StorageOptions(this);
        _experiment = new ExperimentOptions(this);
        Add(_threads);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        var storage = _storage.Read(parse);
        var sampler = SearchComponentOption.Parse("--sampler", parse.GetValue(_sampler), SamplerRegistry.Registry);
        var pruner = SearchComponentOption.Parse("--pruner", parse.GetValue(_pruner), PrunerRegistry.Registry);
        ulong seed = (ulong)(parse.GetValue(_seed) ?? 0);
        if (parse.GetValue(_file) is string file)
        {
            if (!file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) && !file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"unexpected argument '{file}': tune an experiment file (.yaml) or a test function with --objective NAME");
            RejectGiven(parse, "tunes a test function, not an experiment file", _objective);
            int? rerunTrial = parse.GetValue(_rerun);
            if (parse.GetValue(_stages) is not null && (storage.Given || rerunTrial is not null))
                throw new UsageException("option --stages: coarse-to-fine runs its stages in memory; it takes no --storage, --study, --workers, --report or --rerun");
            Parallelism.ThreadCount = parse.GetValue(_threads);
            var search = new ExperimentSearchOptions
            {
                Trials = parse.GetValue(_trials) ?? 20,
                Sampler = sampler.Config,
                Pruner = pruner.Config,
                Seed = seed,
                Stages = parse.GetValue(_stages) is string stageList ? ParseStages(stageList) : null,
                TrialRuns = parse.GetValue(_trialRuns),
            };
            var tuned = TuneExperiment.Run(_experiment.Load(parse, file), new TuneExperiment.Settings(search, storage, parse.GetValue(_bestOut), rerunTrial), output);
            if (rerunTrial is null) Report(tuned, seed, parse.GetValue(_importance), parse.GetValue(_export), output);
            return 0;
        }
        RejectGiven(parse, "applies to an experiment file", [.. _experiment.All, _threads, _trialRuns]);
        string objectiveName = parse.GetValue(_objective) ?? throw new UsageException("expected an experiment file, or a test function with --objective (branin, hartmann6, rosenbrock:D, styblinski-tang:D)");
        int trials = parse.GetValue(_trials) ?? 50;
        string? stages = parse.GetValue(_stages), bestOut = parse.GetValue(_bestOut), export = parse.GetValue(_export);
        int? rerun = parse.GetValue(_rerun);

        if (Named("--objective", "objective", () => MultiObjectiveFunction.TryParse(objectiveName)) is { } several)
        {
            if (stages is not null || rerun is not null || bestOut is not null || parse.GetValue(_importance))
                throw new UsageException($"option --objective: '{several.Name}' has several objectives; --stages, --rerun, --best-out and --importance need one");
            return TuneSeveral(several, storage, sampler, pruner, seed, trials, export, output);
        }
        var function = Named("--objective", "objective", () => TestFunction.Parse(objectiveName));
        var space = Enumerable.Range(0, function.Dimension)
            .ToDictionary(i => $"x{i + 1}", i => (Distribution)new FloatDistribution(function.Low[i], function.High[i]));
        var samplerFactory = sampler.Component ?? SamplerRegistry.Create(AutoSampler.RegisteredName);
        string studyName = storage.NameOr($"{function.Name}-{sampler.Config?.Name ?? AutoSampler.RegisteredName}-{seed}");
        if (stages is not null && (storage.Given || rerun is not null))
            throw new UsageException("option --stages: coarse-to-fine runs its stages in memory; it takes no --storage, --study, --workers, --report or --rerun");
        if (rerun is int number)
            return TuneRerun.Run(storage.Open(s => s.FindStudy(studyName) is null
                ? throw new UsageException($"option --rerun: no study '{studyName}' in {StorageUrl.Mask(storage.Url)} (name it with --study)")
                : Study.Load(studyName, s)), number, function, output);
        var studies = stages is null
            ? new[] { new TuneStudyRun(storage, studyName, [StudyDirection.Minimize], seed, trials,
                workerSeed => samplerFactory(workerSeed, space, trials), pruner.Component ?? new NopPruner(), ["value"]).Run(function.Objective, output) }
            : RunStages(function, space, ParseStages(stages), samplerFactory, seed, output);
        var study = studies.MinBy(s => s.BestValue)!;
        output.WriteLine(TrialLine.Best(study.BestTrial));
        if (bestOut is not null)
        {
            BestConfigFile.Write(bestOut, study.BestTrial);
            output.WriteLine($"best configuration written to {bestOut}");
        }
        Report(study, seed, parse.GetValue(_importance), export, output);
        return 0;
    }

    /// <summary>
    /// A test function of several objectives: NSGA-II unless --sampler says otherwise, one line per
    /// trial with every value, then the Pareto front.
    /// </summary>
    private static int TuneSeveral(MultiObjectiveFunction function, TuneStorageOptions storage, (ComponentConfig? Config, SamplerFactory? Component) sampler,
        (ComponentConfig? Config, IPruner? Component) pruner, ulong seed, int trials, string? export, TextWriter output)
    {
        var factory = sampler.Component ?? SamplerRegistry.Create("nsga2");
        if (!factory(seed, null, trials).TakesSeveralObjectives)
            throw new UsageException($"option --sampler: {sampler.Config!.Name} learns from one value; '{function.Name}' has several objectives (use nsga2 or random)");
        string studyName = storage.NameOr($"{function.Name}-{sampler.Config?.Name ?? "nsga2"}-{seed}");
        var names = function.Directions.Select((_, i) => $"f{i + 1}").ToArray();
        var run = new TuneStudyRun(storage, studyName, function.Directions, seed, trials, workerSeed => factory(workerSeed, null, trials),
            pruner.Component ?? new NopPruner(), names);
        var study = run.Run(function.Objective, output);
        foreach (var line in TrialLine.ParetoFront(study.BestTrials, names)) output.WriteLine(line);
        Report(study, seed, importance: false, export, output);
        return 0;
    }

    /// <summary>--importance and --export, for a function's study and an experiment's alike.</summary>
    private static void Report(Study study, ulong seed, bool importance, string? export, TextWriter output)
    {
        if (importance)
            foreach (var (name, share) in FanovaImportance.Evaluate(study.GetTrials(TrialState.Complete), seed))
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"importance {name}={share:F3}"));
        if (export is not null)
        {
            TrialExport.Write(export, study.Trials);
            output.WriteLine($"exported {study.Trials.Count} trials to {export}");
        }
    }

    private static void RejectGiven(ParseResult parse, string why, params Option[] options)
    {
        if (options.FirstOrDefault(parse.Given) is { } given) throw new UsageException($"option {given.Name} {why}");
    }

    /// <summary>
    /// Coarse to fine: stage k has budget k (test functions ignore it) and ranges narrowed from
    /// stage k - 1, never past the function's standard domain.
    /// </summary>
    private static IReadOnlyList<Study> RunStages(TestFunction function, IReadOnlyDictionary<string, Distribution> space, int[] trialsPerStage,
        SamplerFactory sampler, ulong seed, TextWriter output)
    {
        var stages = trialsPerStage.Select((n, k) => new SearchStage(n, k + 1)).ToArray();
        var limits = Enumerable.Range(0, function.Dimension).ToDictionary(i => $"x{i + 1}", i => (function.Low[i], function.High[i]));
        var search = new CoarseToFine(space, stages, (stageSeed, stageSpace, n) => sampler(stageSeed, stageSpace, n),
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
