using System.Globalization;
using Sparta.Data.Loaders;
using Sparta.Experiments;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Cli;

/// <summary>
/// A model with several outputs (examples/penguins-multi-output.yaml: species and body mass) through the commands a
/// user tries on it: each works, or is refused in one line naming the key or option.
/// </summary>
public sealed class MultiOutputCommandTests : IDisposable
{
    private static readonly string Examples = Path.Combine(RepositoryRoot.Path, "examples");
    private readonly TempDirectory _directory = new();

    public MultiOutputCommandTests()
    {
        Directory.CreateDirectory(_directory.File("data"));
        File.Copy(Path.Combine(Examples, "data", "penguins.csv"), _directory.File("data/penguins.csv"));
    }

    public void Dispose() => _directory.Dispose();

    private static (int Code, string Output, string Error) Sparta(params string[] words) => Lifecycle.LifecycleFiles.Command(words);

    /// <summary>The example, shortened to a few epochs, with <paramref name="extra"/> lines appended; its path.</summary>
    private string Experiment(string name, string extra = "", string? replace = null, string? by = null)
    {
        string text = File.ReadAllText(Path.Combine(Examples, "penguins-multi-output.yaml")).Replace("epochs: 60", "epochs: 3", StringComparison.Ordinal);
        if (replace is not null)
        {
            Assert.Contains(replace, text);
            text = text.Replace(replace, by, StringComparison.Ordinal);
        }
        string path = _directory.File(name + ".yaml");
        File.WriteAllText(path, text + extra);
        return path;
    }

    private static Dictionary<string, double> Scores(string line) => line.Trim().Split(' ').Skip(1).Select(p => p.Split('='))
        .ToDictionary(p => p[0], p => double.Parse(p[1].Split('±')[0], CultureInfo.InvariantCulture));

    [Fact]
    public void EvaluateTakesTheTargetsOfEachOutputAndScoresAsTheFormulasDo()
    {
        var (code, _, error) = Sparta("train", Experiment("penguins"), "--out", _directory.File("run"), "--quiet");
        Assert.True(code == 0, error);
        var table = CsvReader.Read(_directory.File("data/penguins.csv"), ["species", "island", "sex"]);
        var (labels, _) = table.ClassLabels("species");
        double[] mass = table["body_mass_g"].Numbers!;
        NpyFile.Write(_directory.File("species.npy"), Tensor.FromArray(labels.Select(l => (float)l).ToArray(), labels.Length));
        NpyFile.Write(_directory.File("mass.npy"), Tensor.FromArray(mass.Select(m => (float)m).ToArray(), mass.Length));
        string csv = _directory.File("data/penguins.csv");
        (code, string output, error) = Sparta("evaluate", _directory.File("run"), "--inputs", csv,
            "--targets", "species=" + _directory.File("species.npy"), "--targets", "mass=" + _directory.File("mass.npy"));
        Assert.True(code == 0, error);
        var scores = Scores(output);

        // The same scores from the model's own outputs, by the formulas: cross-entropy of the logits, accuracy, mean absolute error.
        var saved = ModelLoader.Load(_directory.File("run/model.sparta"));
        var outputs = saved.Model.ForwardOutputs(saved.PrepareInputs(new Dictionary<string, Tensor> { [""] = ArraySource.Inputs(csv, saved, "") }), training: false);
        var logits = outputs[0].ToArray();
        var predicted = outputs[1].ToArray();
        double crossEntropy = 0, correct = 0, absolute = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            var row = logits.AsSpan(r * 3, 3).ToArray();
            double max = row.Max();
            crossEntropy += max + Math.Log(row.Sum(z => Math.Exp(z - max))) - row[labels[r]];
            correct += Array.IndexOf(row, row.Max()) == labels[r] ? 1 : 0;
            absolute += Math.Abs(predicted[r] - mass[r]);
        }
        int n = labels.Length;
        AssertRelative(crossEntropy / n, scores["test_species_loss"]);
        AssertRelative(correct / n, scores["test_species_accuracy"]);
        AssertRelative(absolute / n, scores["test_mass_mae"]);
        AssertRelative(crossEntropy / n + 0.01 * absolute / n, scores["test_loss"]);

        // The same file of rows gives each output its target column, as training read it: species by name, mass as numbers.
        (code, string fromColumns, error) = Sparta("evaluate", _directory.File("run"), "--inputs", csv, "--targets", "species=" + csv, "--targets", "mass=" + csv);
        Assert.True(code == 0, error);
        Assert.Equal(output, fromColumns);
    }

    [Fact]
    public void EvaluateTakesEachOutputsTargetsFromARegisteredDataset()
    {
        var digits = global::Sparta.Data.DatasetRegistry.Load("digits", "train");
        NpyFile.Write(_directory.File("x.npy"), digits.Inputs[0].Data);
        NpyFile.Write(_directory.File("y.npy"), digits.Target);
        string file = _directory.File("digits.yaml");
        File.WriteAllText(file, """
            name: digits-two-heads
            seed: 0
            epochs: 1
            data:
              train: {inputs: x.npy, targets: {a: y.npy, b: y.npy}}
            model:
              inputs:
                input:
              layers:
                - {id: flat, name: flatten}
                - {id: hidden, name: dense, units: 16, activation: relu, inputs: flat}
                - {id: a, name: dense, units: 10, inputs: hidden}
                - {id: b, name: dense, units: 10, inputs: hidden}
              outputs: [a, b]
            loss: sparse_categorical_crossentropy
            metrics: [accuracy]
            """);
        var (code, _, error) = Sparta("train", file, "--out", _directory.File("digits-run"), "--quiet");
        Assert.True(code == 0, error);
        (code, string fromFiles, error) = Sparta("evaluate", _directory.File("digits-run"), "--inputs", _directory.File("x.npy"),
            "--targets", "a=" + _directory.File("y.npy"), "--targets", "b=" + _directory.File("y.npy"));
        Assert.True(code == 0, error);
        Assert.Contains("test_a_accuracy=", fromFiles);
        (code, string fromDataset, error) = Sparta("evaluate", _directory.File("digits-run"), "--inputs", "digits:train",
            "--targets", "a=digits:train", "--targets", "b=digits:train");
        Assert.True(code == 0, error);
        Assert.Equal(fromFiles, fromDataset);
    }

    private static void AssertRelative(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    [Theory]
    [InlineData(new[] { "--targets", "species=S" }, "output 'mass' has no targets")]
    [InlineData(new[] { "--targets", "species=S", "--targets", "mass=S", "--targets", "weight=S" }, "has no output 'weight'")]
    [InlineData(new[] { "--targets", "S" }, "give each its targets as OUTPUT=SPEC")]
    public void EvaluateRefusesTargetsThatDoNotNameEachOutputInOneLine(string[] targets, string expected)
    {
        var (code, _, error) = Sparta("train", Experiment("penguins"), "--out", _directory.File("run"), "--quiet");
        Assert.True(code == 0, error);
        string species = _directory.File("species.npy");
        NpyFile.Write(species, Tensor.Zeros(333));
        (code, _, error) = Sparta(["evaluate", _directory.File("run"), "--inputs", _directory.File("data/penguins.csv"), .. targets.Select(t => t.Replace("S", species, StringComparison.Ordinal))]);
        Assert.NotEqual(0, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void CrossValidationScoresEachOutputAndTheTotalIsTheWeightedSumOfTheirMeans()
    {
        var (code, output, error) = Sparta("train", Experiment("cv", "cross_validation: 3\n"), "--out", _directory.File("cv-run"), "--quiet");
        Assert.True(code == 0, error);
        var line = output.Split('\n').Single(l => l.StartsWith("cross_validation", StringComparison.Ordinal));
        Assert.Contains("folds=3", line);
        var means = Scores(line.Replace("folds=3 ", "", StringComparison.Ordinal));
        Assert.True(means["species_accuracy"] is > 0 and <= 1);
        AssertRelative(means["species_loss"] + 0.01 * means["mass_loss"], means["loss"]);
    }

    [Fact]
    public void TuneSearchesAMultiOutputExperimentOnItsTotalValidationLoss()
    {
        string file = Experiment("tune", replace: "learning_rate: 0.01}", by: "learning_rate: {loguniform: [0.001, 0.1]}}");
        var (code, output, error) = Sparta("tune", file, "--trials", "2", "--storage", "memory", "--sampler", "random", "--report", _directory.File("report.html"));
        Assert.True(code == 0, error);
        var values = output.Split('\n').Where(l => l.Contains("val_loss:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split("val_loss:")[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, values.Length);
        var best = output.Split('\n').Single(l => l.StartsWith("best value=", StringComparison.Ordinal));
        Assert.Equal(values.Min(), double.Parse(best["best value=".Length..].Split(' ')[0], CultureInfo.InvariantCulture), 5);
    }

    [Theory]
    [InlineData("doctor", "model.outputs: the sanity checks")]
    [InlineData("lab lr-finder", "model.outputs: the learning-rate finder")]
    public void DiagnosticsOfOneLossAreRefusedInOneLineNamingModelOutputs(string command, string expected)
    {
        var (code, _, error) = Sparta([.. command.Split(' '), Experiment("diagnose")]);
        Assert.NotEqual(0, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("categorical: [island, sex]", "categorical: [island, sex]\n  one_hot: true", "data.one_hot")]
    [InlineData("categorical: [island, sex]", "categorical: [island, sex]\n  augmentation: {mixup_alpha: 0.2}", "mixup_alpha")]
    [InlineData("epochs: 3", "epochs: 3\nensemble: 2", "ensemble")]
    public void TechniquesOfOneTargetAreRefusedInOneLineNamingTheKey(string replace, string by, string key)
    {
        var (code, _, error) = Sparta("train", Experiment("refused", replace: replace, by: by), "--out", _directory.File("refused-run"), "--quiet");
        Assert.NotEqual(0, code);
        Assert.Contains(key, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(_directory.File("refused-run")));
    }
}
