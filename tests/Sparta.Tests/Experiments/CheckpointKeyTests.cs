using System.Globalization;
using Sparta.Cli;
using Sparta.Experiments;
using Sparta.Serialization;

namespace Sparta.Tests.Experiments;

/// <summary>The <c>model_checkpoint</c> callback of an experiment file, trained through <c>sparta train</c>.</summary>
public sealed class CheckpointKeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string WithCallbacks(string callbacks) =>
        ExperimentText.Small.Replace("epochs: 2", "epochs: 3") + $"\ncallbacks:\n{callbacks}\n";

    private (int Code, string Error) Train(string experiment, string run)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Run(["train", experiment, "--out", run, "--quiet"], output, error);
        return (code, error.ToString());
    }

    [Fact]
    public void CheckpointsEveryEpochAndTheBestBesideTheExperimentFile()
    {
        string experiment = ExperimentText.Write(_directory, WithCallbacks("""
            - {name: model_checkpoint, filepath: "ckpt/epoch-{epoch}.sparta"}
            - {name: model_checkpoint, filepath: ckpt/best.sparta, monitor: loss, save_best_only: true, mode: max}
            """));
        string run = Path.Combine(_directory, "run");
        var (code, error) = Train(experiment, run);
        Assert.True(code == 0, error);

        // Relative paths are taken from the experiment file's directory, epochs numbered as in the log.
        string ckpt = Path.Combine(_directory, "ckpt");
        Assert.Equal(["best.sparta", "epoch-001.sparta", "epoch-002.sparta", "epoch-003.sparta"],
            Directory.GetFiles(ckpt).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // The last epoch's checkpoint holds the run's final weights and resumes with its optimizer state.
        var last = ModelFile.Load(Path.Combine(ckpt, "epoch-003.sparta"));
        var final = ModelFile.Load(Path.Combine(run, "model.sparta"));
        Assert.Equal(3, last.Epoch);
        AssertSameWeights(final, last);
        Assert.Equal(3, last.CreateTrainer().History.Epochs.Count);

        // mode max on the training loss keeps the epoch with the highest loss, read back from history.csv.
        var losses = History(run, "loss");
        int worst = losses.IndexOf(losses.Max()) + 1;
        var best = ModelFile.Load(Path.Combine(ckpt, "best.sparta"));
        Assert.Equal(worst, best.Epoch);
        AssertSameWeights(ModelFile.Load(Path.Combine(ckpt, $"epoch-{worst:D3}.sparta")), best);
        Assert.Empty(Directory.GetFiles(ckpt, "*.tmp"));
    }

    [Fact]
    public void ACheckpointCarriesTheFittedPreprocessing()
    {
        string experiment = ExperimentText.Write(_directory, WithCallbacks($"  - {{name: model_checkpoint, filepath: {Path.Combine(_directory, "abs", "last.sparta")}}}")
            .Replace("  test: {inputs: x_test.npy, targets: y_test.npy}", "  test: {inputs: x_test.npy, targets: y_test.npy}\n  preprocessing: [standardize]"));
        string run = Path.Combine(_directory, "run");
        var (code, error) = Train(experiment, run);
        Assert.True(code == 0, error);
        var checkpoint = ModelFile.Load(Path.Combine(_directory, "abs", "last.sparta"));
        var final = ModelFile.Load(Path.Combine(run, "model.sparta"));
        Assert.NotEmpty(final.Preprocessing);
        Assert.Equal(final.Preprocessing.Keys, checkpoint.Preprocessing.Keys);
        AssertSameWeights(final, checkpoint);
    }

    [Theory]
    [InlineData("{name: model_checkpoint}", "exp.yaml: callbacks.0.filepath: must be a file path such as checkpoints/epoch-{epoch}.sparta, got nothing")]
    [InlineData("{name: model_checkpoint, filepath: c.sparta, mode: best}", "exp.yaml: callbacks.0.mode: must be one of auto, min, max, got 'best'")]
    [InlineData("{name: model_checkpoint, filepath: c.sparta, save_best_only: yes}", "exp.yaml: callbacks.0.save_best_only: must be true or false, got 'yes'")]
    [InlineData("{name: model_checkpoint, filepath: c.sparta, save_best: true}", "exp.yaml: callbacks.0.save_best: unknown key; did you mean 'save_best_only'")]
    [InlineData("{name: model_chekpoint, filepath: c.sparta}", "exp.yaml: callbacks.0.name: unknown callback 'model_chekpoint'; did you mean 'model_checkpoint'")]
    public void BadKeysNameTheKeyPathAndTheValue(string callback, string expected)
    {
        var e = Assert.Throws<ExperimentException>(() => Experiment.Parse(WithCallbacks($"  - {callback}"), "exp.yaml").Spec());
        Assert.StartsWith(expected, e.Message);
    }

    private static void AssertSameWeights(ModelFile expected, ModelFile actual)
    {
        var a = expected.Model.GetWeights();
        var b = actual.Model.GetWeights();
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, value) in a) Assert.Equal(value.ToArray(), b[name].ToArray());
    }

    private static List<double> History(string run, string key)
    {
        var rows = File.ReadAllLines(Path.Combine(run, "history.csv"));
        int column = Array.IndexOf(rows[0].Split(','), key);
        Assert.True(column > 0, $"history.csv has no column '{key}'");
        return rows.Skip(1).Select(r => double.Parse(r.Split(',')[column], CultureInfo.InvariantCulture)).ToList();
    }
}
