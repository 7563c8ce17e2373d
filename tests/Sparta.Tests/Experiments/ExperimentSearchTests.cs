using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sparta.Cli;
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
}
