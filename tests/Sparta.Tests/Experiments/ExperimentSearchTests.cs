using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sparta.Cli;
using Sparta.Configuration;
using Sparta.Experiments;
using Sparta.Tuning;
using Sparta.Tuning.Experiments;
using Sparta.Tuning.Storage;

namespace Sparta.Tests.Experiments;

public sealed class ExperimentSearchTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-search-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The blobs experiment with its learning rate and width searched, validated on a fifth of the training set.</summary>
    private string WriteSearch() => ExperimentText.Write(_directory, ExperimentText.Small
        .Replace("learning_rate: 0.01", "learning_rate: {loguniform: [1e-3, 0.1]}")
        .Replace("{name: dense, units: 8, activation: relu}", "{name: dense, units: {int: [4, 16]}, activation: relu}")
        .Replace("  test: {inputs: x_test.npy, targets: y_test.npy}", "  validation_split: 0.2"));

    [Fact]
    public void TheLibraryCallTunesTheFileAndItsBestExperimentTrainsToTheBestValue()
    {
        var experiment = Experiment.Load(WriteSearch());
        var storage = new InMemoryStorage();
        int started = 0, finished = 0;
        var result = ExperimentSearch.Run(experiment, new ExperimentSearchOptions
        {
            Trials = 4, Sampler = "random", Seed = 7, Storage = storage,
            OnTrialStarted = _ => started++, OnTrialFinished = (_, _) => finished++,
        });
        Assert.Equal((4, 4), (started, finished));
        Assert.Equal("exp-random-7", result.Study.Name);
        Assert.Equal(StudyDirection.Maximize, result.Study.Direction); // the first metric is accuracy
        var complete = result.Study.GetTrials(TrialState.Complete);
        Assert.Equal(complete.Max(t => t.Value!.Value), result.BestTrial.Value);

        // The best experiment is a plain experiment with the best trial's values and seed: trained again, it gives the best value.
        var best = result.BestExperiment.Spec();
        Assert.Equal((double)result.BestTrial.Params["optimizer.learning_rate"]!, best.Optimizer.Parameters["learning_rate"]);
        var run = new ExperimentRunner(best, result.BestExperiment.Directory).Run(TextWriter.Null, verbose: false);
        Assert.Equal(result.BestTrial.Value!.Value, run.Trainer.History["val_accuracy"][^1], 1e-6);
        Assert.Equal(result.BestTrial.Value!.Value, ExperimentSearch.Rerun(experiment, result.Study, result.BestTrial), 1e-6);

        // Running again resumes the stored study: nothing left to run.
        var again = ExperimentSearch.Run(experiment, new ExperimentSearchOptions { Trials = 4, Sampler = "random", Seed = 7, Storage = storage });
        Assert.Equal(4, again.Study.Trials.Count);
    }

    [Fact]
    public void EveryTrialIsScoredOnTheValidationRowsTheFilesSeedDraws()
    {
        var resolved = Experiment.Load(WriteSearch()).Resolve(p => p.First);
        var fileRows = ValidationInputs(resolved);
        Assert.Equal(fileRows, ValidationInputs(TunedExperiment.Seeded(resolved, 12_345)));
        Assert.Equal(fileRows, ValidationInputs(TunedExperiment.Seeded(resolved, 777)));
        // The trial's seed alone would have drawn other rows.
        Assert.NotEqual(fileRows, ValidationInputs(resolved.With("seed", "12345")));
        // A file that names its validation seed keeps it.
        var own = resolved.With("data.validation_seed", "5");
        Assert.Equal(ValidationInputs(resolved.With("seed", "5")), ValidationInputs(TunedExperiment.Seeded(own, 777)));
        Assert.Equal(5UL, TunedExperiment.Seeded(own, 777).Spec().Data.ValidationSeed);
    }

    /// <summary>The validation samples a run of <paramref name="experiment"/> holds out, as one flat array.</summary>
    private static float[] ValidationInputs(Experiment experiment)
    {
        var spec = experiment.Spec();
        var data = ExperimentData.Load(spec.Data, Sparta.Losses.LossRegistry.Create(spec.Loss), experiment.Directory, spec.Seed);
        return data.Validation!.Inputs[0].Data.ToArray();
    }

    [Fact]
    public void EachTrialWritesItsRunDirectoryNamedInItsAttributeWithTheValuesItReported()
    {
        var experiment = Experiment.Load(WriteSearch());
        string runs = Path.Combine(_directory, "trial runs");
        var result = ExperimentSearch.Run(experiment, new ExperimentSearchOptions { Trials = 3, Sampler = "random", Seed = 5, StudyName = "a/b", TrialRuns = runs });
        var trials = result.Study.Trials;
        Assert.Equal(3, trials.Count(t => t.State == TrialState.Complete));
        foreach (var trial in trials)
        {
            string directory = JsonSerializer.Deserialize<string>(trial.UserAttrs[ExperimentObjective.RunDirAttr])!;
            Assert.Equal(Path.Combine(Path.GetFullPath(runs), $"a_b-trial-{trial.Number}"), directory);
            // The run as sparta train writes it: its validation accuracy each epoch is what the trial reported, its final one the trial's value.
            var run = Sparta.Reports.RunFiles.Load(directory);
            Assert.Equal(trial.IntermediateValues.OrderBy(v => v.Key).Select(v => v.Value), run.History["val_accuracy"]);
            Assert.Equal(trial.Value!.Value, run.History["val_accuracy"][^1]);
            // Its experiment file is the trial's: the sampled learning rate, and it trains again as it is.
            var rerun = Experiment.Load(Path.Combine(directory, "experiment.yaml"));
            Assert.Equal((double)trial.Params["optimizer.learning_rate"]!, rerun.Spec().Optimizer.Parameters["learning_rate"]);
        }
        Assert.Empty(Directory.GetDirectories(runs, ".*"));
    }

    [Fact]
    public void AFileWithoutValidationDataOrDistributionsIsRefusedNamingTheKey()
    {
        var plain = Experiment.Load(ExperimentText.Write(_directory));
        var e = Assert.Throws<ExperimentException>(() => ExperimentSearch.Run(plain, new ExperimentSearchOptions()));
        Assert.Contains("no distribution to search", e.Message);
        var noValidation = Experiment.Parse(File.ReadAllText(WriteSearch()).Replace("  validation_split: 0.2", "  test: {inputs: x_test.npy, targets: y_test.npy}"),
            Path.Combine(_directory, "exp.yaml"), _directory);
        e = Assert.Throws<ExperimentException>(() => ExperimentSearch.Run(noValidation, new ExperimentSearchOptions()));
        Assert.Equal("data.validation_split", e.KeyPath);
    }

    [Fact]
    public void StagesImportanceAndExportWorkOnAnExperimentFile()
    {
        string file = WriteSearch();
        string export = Path.Combine(_directory, "trials.json");
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Run(["tune", file, "--stages", "3,2", "--sampler", "random", "--seed", "2", "--importance", "--export", export, "--threads", "1"], output, error);
        Assert.True(code == 0, error.ToString());
        string text = output.ToString();
        Assert.Contains("stage 1/2: 3 trials at budget 1", text);
        Assert.Contains("stage 2/2: 2 trials at budget 2", text);
        Assert.Equal(5, Regex.Matches(text, @"\(\d/5\)").Count);

        // Importances are shares: one per parameter, summing to 1.
        var shares = Regex.Matches(text, @"importance (\S+)=(\S+)").ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(["model.layers.0.units", "optimizer.learning_rate"], shares.Keys.Order());
        Assert.Equal(1.0, shares.Values.Sum(), 0.002);

        // The export holds the best stage's trials, the best of them the printed best.
        using var json = JsonDocument.Parse(File.ReadAllText(export));
        var values = json.RootElement.EnumerateArray().Select(t => t.GetProperty("value")).Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).ToList();
        double best = double.Parse(Regex.Match(text, @"best value=(\S+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(values.Max(), best, 1e-6);
    }

    /// <summary>The search file with a <c>search:</c> section appended.</summary>
    private Experiment WithSearch(string section) =>
        Experiment.Parse(File.ReadAllText(WriteSearch()) + "\n" + section, Path.Combine(_directory, "exp.yaml"), _directory);

    private static List<object?> LearningRates(ExperimentSearchResult result) =>
        result.Study.Trials.Select(t => t.Params["optimizer.learning_rate"]).ToList();

    [Fact]
    public void WithoutSearchSamplerOneObjectiveIsSearchedWithAutoAndSeveralWithNsga2()
    {
        var one = WithSearch("search:\n  pruner: none\n");
        Assert.Equal("auto", new ExperimentSearchOptions().SamplerFor(one).Name);
        Assert.Equal("random", new ExperimentSearchOptions { Sampler = "random" }.SamplerFor(one).Name);
        Assert.Equal("nsga2", new ExperimentSearchOptions().SamplerFor(WithSearch("search:\n  objectives: [val_accuracy, parameters]\n")).Name);
        var result = ExperimentSearch.Run(one, new ExperimentSearchOptions { Trials = 1 });
        Assert.Equal("exp-auto-0", result.Study.Name);
    }

    [Fact]
    public void TheFilesSearchSectionChoosesTheSamplerWithItsParametersAndTheOptionsOverrideIt()
    {
        var file = WithSearch("search:\n  sampler: {name: tpe, startup_trials: 2}\n  pruner: {name: median, startup_trials: 1}\n");
        Assert.Equal(new ComponentConfig("tpe", [new("startup_trials", 2.0)]), file.Search!.Sampler);
        var tpe = ExperimentSearch.Run(file, new ExperimentSearchOptions { Trials = 3, Seed = 4 });
        var random = ExperimentSearch.Run(file, new ExperimentSearchOptions { Trials = 3, Seed = 4, Sampler = "random" });
        Assert.Equal("exp-tpe-4", tpe.Study.Name);
        Assert.Equal("exp-random-4", random.Study.Name);
        // TPE's two start-up trials are the random sampler's draws; its third is its own.
        Assert.Equal(LearningRates(random).Take(2), LearningRates(tpe).Take(2));
        Assert.NotEqual(LearningRates(random)[2], LearningRates(tpe)[2]);
    }

    [Fact]
    public void TwoWorkersTrainTheTrialsOfOneWorkerWithTheSameConcurrency()
    {
        var file = WithSearch("search:\n  sampler: {name: tpe, startup_trials: 2}\n");
        IEnumerable<(int, object?, object?, string, double?)> Trials(int workers) =>
            ExperimentSearch.Run(file, new ExperimentSearchOptions { Trials = 6, Seed = 3, Workers = workers, Concurrency = 2 }).Study.Trials
                .Select(t => (t.Number, t.Params["optimizer.learning_rate"], t.Params["model.layers.0.units"], t.SystemAttrs[TrialSystemAttrs.Seed], t.Value));
        // Trial k learns from trials 0..k-2 only, so the schedule of the two workers cannot change
        // what it draws; its seed and so its training are its own.
        var one = Trials(1).ToList();
        Assert.Equal(6, one.Count);
        Assert.Equal(one, Trials(2));
    }

    [Theory]
    [InlineData("search: {sampler: tpee}", "search.sampler.name", "unknown sampler 'tpee'; did you mean 'tpe'?")]
    [InlineData("search: {sampler: {name: tpe, startup_trial: 3}}", "search.sampler.startup_trial", "unknown key; did you mean 'startup_trials'?")]
    [InlineData("search: {pruner: {name: median, warmup_steps: soon}}", "search.pruner.warmup_steps", "must be an integer, got 'soon'")]
    [InlineData("search: {pruner: percentile}", "search.pruner.percentile", "missing; e.g. {name: percentile, percentile: 25}")]
    public void ABadSamplerOrPrunerInTheFileIsNamedByItsKeyBeforeAnyTrial(string section, string key, string problem)
    {
        var e = Assert.Throws<ExperimentException>(() => ExperimentSearch.Run(WithSearch(section + "\n"), new ExperimentSearchOptions { Trials = 1 }));
        Assert.Equal($"exp.yaml: {key}: {problem}", e.Message[e.Message.IndexOf("exp.yaml", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void AMisspeltSearchKeyFailsWhenTheFileIsRead()
    {
        var e = Assert.Throws<ExperimentException>(() => WithSearch("search: {samplr: tpe}\n"));
        Assert.Equal("search.samplr", e.KeyPath);
        Assert.Contains("did you mean 'sampler'?", e.Message);
    }

    [Fact]
    public void TheCommandLineSetsTheFilesSamplerParameterOrReplacesIt()
    {
        string file = Path.Combine(_directory, "searched.yaml");
        File.WriteAllText(file, File.ReadAllText(WriteSearch()) + "\nsearch: {sampler: {name: tpe, startup_trials: 2}}\n");
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Run(["tune", file, "--trials", "1", "--storage", "memory", "--set", "search.sampler.startup_trial=3"], output, error);
        Assert.Equal(ExitCode.UserError, code);
        Assert.Contains("searched.yaml: search.sampler.startup_trial: unknown key; did you mean 'startup_trials'?", error.ToString());
        code = CommandLine.Run(["tune", file, "--trials", "1", "--storage", "memory", "--sampler", "{name: gp, startup_trial: 3}"], output, error = new StringWriter());
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("option --sampler: startup_trial: unknown key; did you mean 'startup_trials'?", error.ToString());
        code = CommandLine.Run(["tune", file, "--trials", "1", "--storage", "memory", "--sampler", "random", "--seed", "9", "--threads", "1"], output, error = new StringWriter());
        Assert.True(code == 0, error.ToString());
    }
}
