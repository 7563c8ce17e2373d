using System.Globalization;
using System.Text.Json;
using Sparta.Cli;
using Sparta.Data.Loaders;
using Sparta.Diagnostics;
using Sparta.Experiments;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tuning;
using Sparta.Tuning.Output;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Tests.Experiments;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-train-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteExperiment(string text = ExperimentText.Small) => ExperimentText.Write(_directory, text);

    private static (int Code, string Output, string Error) Sparta(params string[] words) => Lifecycle.LifecycleFiles.Command(words);

    private static Dictionary<string, string> ResultFields(string output)
    {
        string last = output.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("result ", last);
        return last["result ".Length..].Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
    }

    [Fact]
    public void TrainsWritesTheRunDirectoryAndPrintsTheResultLineLast()
    {
        string experiment = WriteExperiment();
        string run = Path.Combine(_directory, "run");
        var (code, output, error) = Sparta("train", experiment, "--out", run, "--set", "epochs=3", "--threads", "1");
        Assert.True(code == 0, error);
        Assert.Contains("epoch 003", output);
        var fields = ResultFields(output);
        Assert.Equal(["test_accuracy", "test_loss", "epochs", "train_s", "samples_per_s"], fields.Keys);
        Assert.Equal("3", fields["epochs"]);

        // The reported accuracy, recomputed from the saved model's predictions on the test file.
        var model = ModelFile.Load(Path.Combine(run, "model.sparta")).CreateTrainer();
        var logits = model.Predict(NpyFile.Read(Path.Combine(_directory, "x_test.npy")));
        var labels = NpyFile.Read(Path.Combine(_directory, "y_test.npy")).Span.ToArray();
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = logits.Span.Slice(i * 3, 3);
            int best = row.IndexOf(MathF.Max(row[0], MathF.Max(row[1], row[2])));
            if (best == (int)labels[i]) correct++;
        }
        Assert.Equal(correct / (double)labels.Length, double.Parse(fields["test_accuracy"], CultureInfo.InvariantCulture), tolerance: 1e-5);
        Assert.True(correct > labels.Length * 0.8, $"separable blobs: {correct}/{labels.Length} correct");

        Assert.Equal(4, File.ReadAllLines(Path.Combine(run, "history.csv")).Length); // header + 3 epochs
        Assert.Equal(1 + 3 * 10, File.ReadAllLines(Path.Combine(run, "learning_curve.csv")).Length); // 150 samples / 16 = 10 batches
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "result.json")));
        Assert.Equal(double.Parse(fields["test_loss"], CultureInfo.InvariantCulture), result.RootElement.GetProperty("test_loss").GetDouble(), tolerance: 1e-5);
        var resolved = Experiment.Load(Path.Combine(run, "experiment.yaml")).Spec();
        Assert.Equal(3, resolved.Epochs);
        Assert.DoesNotContain(Directory.GetDirectories(_directory), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void ADivergedRunStillWritesItsRunDirectoryWithTheNonFiniteLoss()
    {
        string experiment = WriteExperiment();
        string run = Path.Combine(_directory, "diverged");
        var (code, output, error) = Sparta("train", experiment, "--out", run, "--quiet", "--set", "optimizer={name: sgd, learning_rate: 1.0e+30}");
        Assert.True(code == 0, error);
        string testLoss = ResultFields(output)["test_loss"];
        Assert.False(double.IsFinite(double.Parse(testLoss, CultureInfo.InvariantCulture)), $"test_loss={testLoss}");
        var options = new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
        var result = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(run, "result.json")), options)!;
        Assert.False(double.IsFinite(result["test_loss"]));
    }

    [Fact]
    public void TheRunDirectoryKeepsTheDiagnostics()
    {
        string experiment = WriteExperiment();
        string run = Path.Combine(_directory, "run");
        var (code, _, error) = Sparta("train", experiment, "--out", run, "--set", "epochs=3", "--quiet");
        Assert.True(code == 0, error);
        var diagnostics = RunDiagnostics.Load(Path.Combine(run, RunDiagnostics.FileName));
        Assert.Equal([0, 1, 2, 3], diagnostics.Activations.Select(a => a.Epoch));
        Assert.Equal([1, 2, 3], diagnostics.Updates.Select(u => u.Epoch));
        Assert.All(diagnostics.Updates, u => Assert.Equal(1, u.Steps)); // 10 steps an epoch (150 samples / 16), one in 10 measured
        Assert.Equal(["dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"], diagnostics.Updates[0].Parameters.Select(p => p.Parameter));

        // The last inspection, recomputed from the saved weights on the 150 training examples (fewer than the batch of 256).
        var weights = ModelFile.Load(Path.Combine(run, "model.sparta")).Model.GetWeights().ToDictionary(p => p.Key, p => p.Value.ToArray());
        float[] x = NpyFile.Read(Path.Combine(_directory, "x_train.npy")).ToArray();
        float[] w = weights["dense/kernel"], b = weights["dense/bias"];
        var hidden = new double[150 * 8];
        for (int s = 0; s < 150; s++)
            for (int j = 0; j < 8; j++)
            {
                double sum = b[j];
                for (int k = 0; k < 4; k++) sum += x[s * 4 + k] * w[k * 8 + j];
                hidden[s * 8 + j] = Math.Max(0, sum);
            }
        var last = diagnostics.Activations[^1]["dense"];
        Assert.Equal("relu", last.Activation);
        Assert.Equal(hidden.Average(), last.Mean, 1e-5);
        Assert.Equal(Enumerable.Range(0, 8).Count(j => Enumerable.Range(0, 150).All(s => hidden[s * 8 + j] == 0)) / 8.0, last.Dead, 12);
        Assert.Equal(150 * 8, last.Histogram.Counts.Sum()); // the range is the batch's own [min, max]

        // The doctor's findings are those of the saved History and statistics.
        string findings = string.Join('\n', diagnostics.Findings);
        Assert.DoesNotContain("divergence", findings);

        string quiet = Path.Combine(_directory, "off");
        Assert.Equal(0, Sparta("train", experiment, "--out", quiet, "--set", "diagnostics=false", "--quiet").Code);
        Assert.False(File.Exists(Path.Combine(quiet, RunDiagnostics.FileName)));
    }

    [Fact]
    public void DiagnosticsSettingsAreCheckedByKey()
    {
        string experiment = WriteExperiment(ExperimentText.Small + "\ndiagnostics: {activations: true, evry: 2}\n");
        var (code, _, error) = Sparta("train", experiment, "--out", Path.Combine(_directory, "bad"));
        Assert.NotEqual(0, code);
        Assert.Contains("diagnostics.evry", error);
        string sparse = WriteExperiment(ExperimentText.Small + "\ndiagnostics: {every: 2, batch: 20, update_every: 2}\n");
        string run = Path.Combine(_directory, "sparse");
        Assert.Equal(0, Sparta("train", sparse, "--out", run, "--set", "epochs=4", "--quiet").Code);
        var diagnostics = RunDiagnostics.Load(Path.Combine(run, RunDiagnostics.FileName));
        Assert.Equal([0, 2, 4], diagnostics.Activations.Select(a => a.Epoch));
        Assert.All(diagnostics.Updates, u => Assert.Equal(5, u.Steps));
        Assert.Equal(20 * 8, diagnostics.Activations[0]["dense"].Histogram.Counts.Sum());
    }

    [Fact]
    public void SameSeedGivesTheSameResultAndHistory()
    {
        string experiment = WriteExperiment();
        var first = Sparta("train", experiment, "--out", Path.Combine(_directory, "a"), "--quiet");
        var second = Sparta("train", experiment, "--out", Path.Combine(_directory, "b"), "--quiet", "--threads", "2");
        Assert.Equal(0, first.Code);
        Assert.Equal(ResultFields(first.Output)["test_loss"], ResultFields(second.Output)["test_loss"]);
        string History(string run) => string.Join('\n', File.ReadAllLines(Path.Combine(_directory, run, "history.csv")).Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 3))));
        Assert.Equal(History("a"), History("b")); // all but epoch_seconds
    }

    [Fact]
    public void BadFilesFailWithOneLineAndWriteNothing()
    {
        string experiment = WriteExperiment(ExperimentText.Small.Replace("{name: adam,", "{name: adamm,"));
        string run = Path.Combine(_directory, "run");
        var (code, output, error) = Sparta("train", experiment, "--out", run);
        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.Equal($"sparta train: {experiment}: optimizer.name: unknown optimizer 'adamm'; did you mean 'adam' or 'adamw'?", error.Trim());
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void SearchSpacesAreRefusedWithAPointerToTune()
    {
        string experiment = WriteExperiment(ExperimentText.Small.Replace("learning_rate: 0.01", "learning_rate: {loguniform: [1e-4, 1]}"));
        var (code, _, error) = Sparta("train", experiment, "--out", Path.Combine(_directory, "run"));
        Assert.Equal(1, code);
        Assert.Contains("optimizer.learning_rate: is a search space", error);
        Assert.Contains("sparta tune", error);
    }

    [Fact]
    public void AnOccupiedOutputDirectoryIsRefusedBeforeTraining()
    {
        string experiment = WriteExperiment();
        string run = Path.Combine(_directory, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "keep.txt"), "x");
        var (code, output, error) = Sparta("train", experiment, "--out", run);
        Assert.Equal(1, code);
        Assert.DoesNotContain("epoch", output);
        Assert.Contains("already exists", error);
    }

    [Fact]
    public void AnOutputDirectoryThatCannotBeWrittenIsRefusedBeforeTraining()
    {
        string experiment = WriteExperiment();
        string file = Path.Combine(_directory, "a-file");
        File.WriteAllText(file, "x");
        string run = Path.Combine(file, "run"); // its parent is a file: nothing can be created there
        var (code, output, error) = Sparta("train", experiment, "--out", run);
        Assert.Equal(1, code);
        Assert.DoesNotContain("epoch", output);
        Assert.Contains($"run directory '{run}' cannot be written", error);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void ARunDirectoryThatFailsAfterTrainingKeepsTheTrainedModelAndSaysWhere()
    {
        var experiment = Experiment.Load(WriteExperiment());
        var result = new ExperimentRunner(experiment.Spec(), experiment.Directory).Run(TextWriter.Null, verbose: false);
        string run = Path.Combine(_directory, "run");
        // The staging directory's name taken by a file: the writing fails after training, as on a full disk.
        File.WriteAllText(Path.Combine(_directory, $".run.partial-{Environment.ProcessId}"), "in the way");
        var error = Assert.Throws<IOException>(() => RunDirectory.Write(run, experiment.ToYaml(), result));
        string kept = System.Text.RegularExpressions.Regex.Match(error.Message, @"the trained model is kept in (\S+\.sparta)$").Groups[1].Value;
        Assert.True(File.Exists(kept), error.Message);
        try
        {
            Assert.False(Directory.Exists(run));
            var saved = ModelFile.Load(kept).Model;
            Assert.Equal(result.Trainer.Model.Parameters.Select(p => p.Value.ToArray()), saved.Parameters.Select(p => p.Value.ToArray()));
        }
        finally { File.Delete(kept); }
    }

    [Fact]
    public void TuneSearchesTheDistributionsAndReportsEachTrialAndTheBest()
    {
        string experiment = WriteExperiment(ExperimentText.Small
            .Replace("learning_rate: 0.01", "learning_rate: {loguniform: [1e-3, 0.1]}")
            .Replace("activation: relu", "activation: {choice: [relu, tanh]}")
            .Replace("  test: {inputs: x_test.npy, targets: y_test.npy}", "  validation_split: 0.2"));
        var (code, output, error) = Sparta("tune", experiment, "--trials", "3", "--sampler", "random", "--seed", "5", "--storage", "memory");
        Assert.True(code == 0, error);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.All(lines[..3], l => Assert.Contains("optimizer.learning_rate: ", l));
        Assert.All(lines[..3], l => Assert.Contains("val_accuracy: ", l));
        Assert.StartsWith("best value=", lines[3]);
        // The best value is the highest val_accuracy of the three trials (accuracy is maximized).
        double Value(string line) => double.Parse(line.Split("val_accuracy: ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        double best = double.Parse(lines[3]["best value=".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.Equal(lines[..3].Max(Value), best, tolerance: 1e-6);
    }

    [Fact]
    public void TuneKeepsTheStudyInStorageAndResumesToTheBudget()
    {
        string experiment = WriteExperiment(ExperimentText.Small
            .Replace("learning_rate: 0.01", "learning_rate: {loguniform: [1e-3, 0.1]}")
            .Replace("  test: {inputs: x_test.npy, targets: y_test.npy}", "  validation_split: 0.2"));
        string storage = "sqlite:///" + Path.Combine(_directory, "studies.db");
        string[] Tune(int trials) => ["tune", experiment, "--trials", trials.ToString(CultureInfo.InvariantCulture), "--seed", "3", "--storage", storage, "--study", "resumed"];

        var first = Sparta(Tune(2));
        Assert.True(first.Code == 0, first.Error);
        var second = Sparta(Tune(3));
        Assert.True(second.Code == 0, second.Error);

        // The second run trains only the trial the budget still allows, numbered after the stored two.
        var trialLines = second.Output.TrimEnd().Split('\n').Where(l => l.Contains("val_accuracy: ")).ToArray();
        Assert.Single(trialLines);
        Assert.Contains("(3/3)", trialLines[0]);
    }

    private string WriteSearchExperiment() => WriteExperiment(ExperimentText.Small
        .Replace("learning_rate: 0.01", "learning_rate: {loguniform: [1e-3, 0.1]}")
        .Replace("activation: relu", "activation: {choice: [relu, tanh]}")
        .Replace("  test: {inputs: x_test.npy, targets: y_test.npy}", "  validation_split: 0.2"));

    private static FrozenTrial StoredTrial(string storage, string study, Func<Study, FrozenTrial> pick)
    {
        using var opened = StorageUrl.Open(storage);
        return pick(Study.Load(study, opened));
    }

    [Fact]
    public void TuneWritesTheBestTrialAsAnExperimentThatTrains()
    {
        string experiment = WriteSearchExperiment();
        string storage = "sqlite:///" + Path.Combine(_directory, "studies.db");
        // In another directory: the data paths are rewritten to still find the files.
        string bestFile = Path.Combine(_directory, "tuned", "best.yaml");
        var (code, output, error) = Sparta("tune", experiment, "--trials", "3", "--sampler", "random", "--seed", "4",
            "--storage", storage, "--study", "best", "--best-out", bestFile);
        Assert.True(code == 0, error);
        Assert.EndsWith($"best configuration written to {bestFile}", output.TrimEnd());

        var best = StoredTrial(storage, "best", s => s.BestTrial);
        var written = Experiment.Load(bestFile);
        Assert.Empty(written.SearchSpace);
        var tree = YamlTree.Parse(File.ReadAllText(bestFile), bestFile);
        Assert.Equal((double)best.Params["optimizer.learning_rate"]!, double.Parse(tree["optimizer"]!["learning_rate"]!.Text!, CultureInfo.InvariantCulture));
        Assert.Equal(best.Params["model.layers.0.activation"], tree["model"]!["layers"]!.Items![0]["activation"]!.Text);
        // The trial's seed comes along, so training the file gives the trial's value again.
        Assert.Equal(ulong.Parse(best.SystemAttrs[TrialSystemAttrs.Seed], CultureInfo.InvariantCulture) & int.MaxValue,
            ulong.Parse(tree["seed"]!.Text!, CultureInfo.InvariantCulture));
        Assert.Equal("../x_train.npy", tree["data"]!["train"]!["inputs"]!.Text);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(bestFile)!));
        // The study's report, beside its database, holds the same experiment, data paths relative to the report.
        string report = File.ReadAllText(Path.Combine(_directory, "best-report.html"));
        string reported = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(report, "<pre class=\"best-experiment\">(.*?)</pre>",
            System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value);
        Assert.Equal(File.ReadAllText(bestFile).Replace("../", ""), reported);

        var train = Sparta("train", bestFile, "--out", Path.Combine(_directory, "best-run"));
        Assert.True(train.Code == 0, train.Error);
        Assert.Equal(best.Value!.Value, double.Parse(ResultFields(train.Output)["val_accuracy"], CultureInfo.InvariantCulture), tolerance: 1e-6);
    }

    [Fact]
    public void TuneRerunTrainsAStoredTrialAgainToItsStoredValue()
    {
        string experiment = WriteSearchExperiment();
        string storage = "sqlite:///" + Path.Combine(_directory, "studies.db");
        var tune = Sparta("tune", experiment, "--trials", "3", "--sampler", "random", "--seed", "6", "--storage", storage, "--study", "again");
        Assert.True(tune.Code == 0, tune.Error);

        var (code, output, error) = Sparta("tune", experiment, "--rerun", "1", "--storage", storage, "--study", "again");
        Assert.True(code == 0, error);
        var trial = StoredTrial(storage, "again", s => s.Trials.Single(t => t.Number == 1));
        var lines = output.TrimEnd().Split('\n');
        // The seed the trial's experiment ran with: the stored seed as a file's non-negative int.
        Assert.StartsWith($"rerun trial=1 seed={ulong.Parse(trial.SystemAttrs[TrialSystemAttrs.Seed], CultureInfo.InvariantCulture) & int.MaxValue} params: ", lines[^2]);
        string stored = TrialLine.FormatValue(trial.Value);
        Assert.Equal($"value={stored} stored={stored}", lines[^1]);

        var (missing, _, missingError) = Sparta("tune", experiment, "--rerun", "9", "--storage", storage, "--study", "again");
        Assert.Equal(2, missing);
        Assert.Equal("sparta tune: option --rerun: study 'again' has no trial 9 (it holds 3)", missingError.TrimEnd());
    }

    [Fact]
    public void TuneSearchesAConditionalSpaceAndWritesTheChosenBranchAsAPlainExperiment()
    {
        string experiment = WriteExperiment(ConditionalSearchSpaceTests.Conditional
            .Replace("  test: {inputs: x_test.npy, targets: y_test.npy}", "  validation_split: 0.2"));
        string storage = "sqlite:///" + Path.Combine(_directory, "studies.db");
        string bestFile = Path.Combine(_directory, "best.yaml");
        var (code, output, error) = Sparta("tune", experiment, "--trials", "8", "--sampler", "random", "--seed", "2",
            "--storage", storage, "--study", "conditional", "--best-out", bestFile);
        Assert.True(code == 0, error);

        // Each trial line shows the chosen branch's values only, and one width per chosen layer.
        var lines = output.Split('\n').Where(l => l.Contains("val_accuracy: ")).ToArray();
        Assert.Equal(8, lines.Length);
        foreach (string line in lines)
        {
            bool sgd = line.Contains("  optimizer: sgd  ");
            Assert.True(sgd || line.Contains("  optimizer: adam  "), line);
            Assert.Equal(sgd, line.Contains("optimizer.sgd.momentum: "));
            Assert.Equal(sgd, line.Contains("optimizer.sgd.learning_rate: "));
            Assert.Equal(!sgd, line.Contains("optimizer.adam.learning_rate: "));
            int copies = int.Parse(line.Split("model.layers.0.repeat: ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.Equal(copies, line.Split("model.layers.0.layer.").Length - 1);
        }
        Assert.Contains(lines, l => l.Contains("optimizer: sgd"));
        Assert.Contains(lines, l => l.Contains("optimizer: adam"));

        // The best file holds the chosen block with its values and the chosen layers, nothing to search.
        var best = StoredTrial(storage, "conditional", s => s.BestTrial);
        string text = File.ReadAllText(bestFile);
        Assert.DoesNotContain("choice", text);
        Assert.DoesNotContain("repeat", text);
        var spec = Experiment.Load(bestFile).Spec();
        string optimizer = (string)best.Params["optimizer"]!;
        Assert.Equal(optimizer, spec.Optimizer.Name);
        Assert.Equal(best.Params[$"optimizer.{optimizer}.learning_rate"], spec.Optimizer.Parameters["learning_rate"]);
        long layers = (long)best.Params["model.layers.0.repeat"]!;
        Assert.Equal(layers + 1, spec.Model.Layers.Count);
        for (int k = 0; k < layers; k++)
            Assert.Equal((double)(long)best.Params[$"model.layers.0.layer.{k}.units"]!, spec.Model.Layers[k].Config.Parameters["units"]);

        var train = Sparta("train", bestFile, "--out", Path.Combine(_directory, "best-run"));
        Assert.True(train.Code == 0, train.Error);
        Assert.Equal(best.Value!.Value, double.Parse(ResultFields(train.Output)["val_accuracy"], CultureInfo.InvariantCulture), tolerance: 1e-6);
        // The run keeps the experiment with its data paths relative to the run directory, so it reads the same files from there.
        string bestRun = Path.Combine(_directory, "best-run");
        Assert.Equal(Experiment.Load(bestFile).MovedTo(bestRun).ToYaml(), File.ReadAllText(Path.Combine(bestRun, "experiment.yaml")));
        Assert.Contains("../x_train.npy", File.ReadAllText(Path.Combine(bestRun, "experiment.yaml")));

        var rerun = Sparta("tune", experiment, "--rerun", best.Number.ToString(CultureInfo.InvariantCulture), "--storage", storage, "--study", "conditional");
        Assert.True(rerun.Code == 0, rerun.Error);
        string stored = TrialLine.FormatValue(best.Value);
        var rerunLines = rerun.Output.TrimEnd().Split('\n');
        Assert.Equal($"value={stored} stored={stored}", rerunLines[^1]);
        // The seed it prints is the one the best configuration file holds.
        Assert.StartsWith($"rerun trial={best.Number} seed={Experiment.Load(bestFile).Spec().Seed} params: ", rerunLines[^2]);
    }

    [Fact]
    public void TuneNeedsValidationDataToCompareTrials()
    {
        string experiment = WriteExperiment(ExperimentText.Small.Replace("learning_rate: 0.01", "learning_rate: {loguniform: [1e-3, 0.1]}"));
        var (code, _, error) = Sparta("tune", experiment, "--trials", "1", "--storage", "memory");
        Assert.Equal(1, code);
        Assert.Contains("data.validation_split: tuning compares trials on held-out data", error);
    }

    [Fact]
    public void GraphModelsReadTheirNamedInputs()
    {
        string experiment = WriteExperiment(ExperimentText.Small
            .Replace("train: {inputs: x_train.npy,", "train: {inputs: {a: x_train.npy, b: x_train.npy},")
            .Replace("test: {inputs: x_test.npy,", "test: {inputs: {a: x_test.npy, b: x_test.npy},")
            .Replace("""
              layers:
                - {name: dense, units: 8, activation: relu}
                - {name: dense, units: 3}
            """, """
              inputs: {a: , b: [4]}
              layers:
                - {id: left, name: dense, units: 8, activation: relu, inputs: a}
                - {id: right, name: dense, units: 8, activation: relu, inputs: b}
                - {id: joined, name: concatenate, inputs: [left, right]}
                - {id: out, name: dense, units: 3}
              output: out
            """));
        string run = Path.Combine(_directory, "graph");
        var (code, output, error) = Sparta("train", experiment, "--out", run, "--quiet");
        Assert.True(code == 0, error);
        var model = ModelFile.Load(Path.Combine(run, "model.sparta")).Model;
        Assert.Equal(["a", "b"], model.InputNames);
        Assert.Equal(2 * (4 * 8 + 8) + 16 * 3 + 3, model.TrainableParameterCount);
        Assert.NotNull(model.GetLayer("joined"));
        var layers = RunDiagnostics.Load(Path.Combine(run, RunDiagnostics.FileName)).Activations[^1].Layers;
        Assert.Equal(["left", "right", "joined", "out"], layers.Select(l => l.Layer));
        Assert.StartsWith("result test_accuracy=", output.TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public void CsvFilesWithAHeaderAreReadAsSamplesByColumns()
    {
        string experiment = WriteExperiment(ExperimentText.Small
            .Replace("x_train.npy", "x_train.csv").Replace("y_train.npy", "y_train.csv").Replace("epochs: 2", "epochs: 1"));
        var x = NpyFile.Read(Path.Combine(_directory, "x_train.npy"));
        var y = NpyFile.Read(Path.Combine(_directory, "y_train.npy"));
        File.WriteAllLines(Path.Combine(_directory, "x_train.csv"), new[] { "a,b,c,d" }.Concat(Enumerable.Range(0, 150)
            .Select(i => string.Join(',', x.Span.Slice(i * 4, 4).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))))));
        File.WriteAllLines(Path.Combine(_directory, "y_train.csv"), new[] { "label" }.Concat(y.Span.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture))));
        var fromCsv = Sparta("train", experiment, "--out", Path.Combine(_directory, "csv"), "--quiet");
        Assert.True(fromCsv.Code == 0, fromCsv.Error);
        File.WriteAllText(experiment, ExperimentText.Small.Replace("epochs: 2", "epochs: 1"));
        var fromNpy = Sparta("train", experiment, "--out", Path.Combine(_directory, "npy"), "--quiet");
        Assert.Equal(ResultFields(fromNpy.Output)["test_loss"], ResultFields(fromCsv.Output)["test_loss"]);
    }
}
