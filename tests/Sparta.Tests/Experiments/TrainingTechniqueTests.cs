using System.Globalization;
using Sparta.Experiments;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Tensors;

namespace Sparta.Tests.Experiments;

/// <summary>model.lsuv, cross_validation and ensemble from the experiment file, end to end on scikit-learn's real sets.</summary>
public class TrainingTechniqueTests
{
    private static ExperimentSpec Spec(string yaml) => Experiment.Parse(yaml, "exp.yaml", Path.GetTempPath()).Spec();

    private static (RunResult Result, string Output) Train(string yaml)
    {
        var output = new StringWriter();
        var result = new ExperimentRunner(Spec(yaml), Path.GetTempPath()).Run(output, verbose: false, diagnose: false);
        return (result, output.ToString());
    }

    [Fact]
    public void LsuvGivesEveryDenseOutputUnitVarianceOnTheFirstExamples()
    {
        var spec = Spec("""
            data: {dataset: breast_cancer, preprocessing: [standardize]}
            model:
              layers: [{name: dense, units: 16, activation: relu}, {name: dense, units: 2}]
              lsuv: {tolerance: 0.02, max_trials: 30, batch: 200}
            loss: sparse_categorical_crossentropy
            """);
        var loss = LossRegistry.Create(spec.Loss);
        var data = ExperimentData.Load(spec.Data, loss, Path.GetTempPath(), spec.Seed);
        var model = new ExperimentRunner(spec, Path.GetTempPath()).NewTrainer(data.Train, spec.Seed).Model;
        var dense = model.Layers.OfType<Dense>().ToArray();

        // Recomputed in double from the weights: each layer's output before its activation, on the first 200 examples.
        var x = data.Train.Inputs[0].Data.ToArray().Take(200 * 30).Select(v => (double)v).ToArray();
        var hidden = Affine(x, 200, dense[0]);
        Assert.InRange(Variance(hidden), 0.98, 1.02);
        var output = Affine(hidden.Select(v => Math.Max(v, 0)).ToArray(), 200, dense[1]);
        Assert.InRange(Variance(output), 0.98, 1.02);
    }

    private static double[] Affine(double[] x, int rows, Dense layer)
    {
        var w = layer.Kernel.Value.ToArray();
        var b = layer.Bias!.Value.ToArray();
        int inputs = x.Length / rows, units = b.Length;
        var y = new double[rows * units];
        for (int r = 0; r < rows; r++)
            for (int u = 0; u < units; u++)
            {
                double sum = b[u];
                for (int i = 0; i < inputs; i++) sum += x[r * inputs + i] * w[i * units + u];
                y[r * units + u] = sum;
            }
        return y;
    }

    private static double Variance(double[] values)
    {
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / values.Length;
    }

    [Fact]
    public void CrossValidationPrintsEachFoldAndTheMeanAndDeviationOfEveryScore()
    {
        var (result, output) = Train("""
            seed: 1
            epochs: 8
            data: {dataset: breast_cancer, test_split: 0.2, preprocessing: [standardize]}
            model: {layers: [{name: dense, units: 8, activation: relu}, {name: dense, units: 2}]}
            loss: sparse_categorical_crossentropy
            metrics: [accuracy]
            optimizer: {name: adam, learning_rate: 0.01}
            cross_validation: {folds: 4}
            """);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var folds = lines.Where(l => l.StartsWith("fold ", StringComparison.Ordinal)).Select(Values).ToArray();
        Assert.Equal(4, folds.Length);
        Assert.Equal(4, result.CrossValidation!.Folds.Count);
        var summary = lines.Single(l => l.StartsWith("cross_validation folds=4 ", StringComparison.Ordinal));
        foreach (string metric in new[] { "accuracy", "loss" })
        {
            // The summary's mean and population deviation, recomputed from the fold lines.
            var values = folds.Select(f => double.Parse(f[metric], CultureInfo.InvariantCulture)).ToArray();
            double mean = values.Average(), sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
            var printed = Values(summary)[metric].Split('±').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(mean, printed[0], 4);
            Assert.Equal(sd, printed[1], 4);
        }
        Assert.All(folds, f => Assert.True(double.Parse(f["accuracy"], CultureInfo.InvariantCulture) > 0.85, string.Join(" ", f)));
        Assert.True(result.TestScores["accuracy"] > 0.85);
    }

    [Fact]
    public void RegressionFoldsAreUnstratifiedAndAskedToBeSo()
    {
        const string yaml = """
            epochs: 2
            data: {dataset: diabetes, preprocessing: [standardize]}
            model: {layers: [{name: dense, units: 1}]}
            loss: mse
            metrics: [mae]
            cross_validation: FOLDS
            """;
        var e = Assert.Throws<ArgumentException>(() => Train(yaml.Replace("FOLDS", "3")));
        Assert.Contains("cross_validation.stratified", e.Message);
        var (result, _) = Train(yaml.Replace("FOLDS", "{folds: 3, stratified: false}"));
        Assert.Equal(3, result.CrossValidation!.Folds.Count);
        Assert.Contains("mae", result.CrossValidation.Metrics);
    }

    [Fact]
    public void EnsembleAveragesTheMembersProbabilitiesAndScoresEachMember()
    {
        var (result, output) = Train("""
            seed: 5
            epochs: 3
            data: {dataset: digits, test_split: 0.25, preprocessing: [{name: min_max, scope: all}]}
            model: {layers: [flatten, {name: dense, units: 16, activation: relu}, {name: dense, units: 10}]}
            loss: sparse_categorical_crossentropy
            metrics: [accuracy]
            optimizer: {name: adam, learning_rate: 0.01}
            ensemble: 3
            """);
        var ensemble = result.Ensemble!;
        var test = result.Data.Test!;
        Assert.Equal(3, ensemble.Members.Count);
        Assert.Same(result.Trainer, ensemble.Members[0]);
        Assert.Equal(result.TestScores, ensemble.MemberScores[0]);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(ensemble.Members[k].Evaluate(test)["accuracy"], ensemble.MemberScores[k]["accuracy"], 6);
            Assert.Contains($"member {k + 1}/3 seed={5 + k} test_accuracy=", output);
        }
        Assert.NotEqual(ensemble.Members[0].Model.GetWeights().First().Value.ToArray(), ensemble.Members[1].Model.GetWeights().First().Value.ToArray());

        // The ensemble's accuracy recomputed: the arg-max of the members' mean softmax probabilities.
        var probabilities = new double[test.Count * 10];
        foreach (var member in ensemble.Members)
        {
            var logits = member.Predict(test).ToArray();
            for (int i = 0; i < test.Count; i++)
            {
                var row = logits.Skip(i * 10).Take(10).Select(v => Math.Exp(v)).ToArray();
                for (int c = 0; c < 10; c++) probabilities[i * 10 + c] += row[c] / row.Sum() / 3;
            }
        }
        int right = Enumerable.Range(0, test.Count).Count(i =>
            Enumerable.Range(0, 10).MaxBy(c => probabilities[i * 10 + c]) == test.Labels![i]);
        Assert.Equal(right / (double)test.Count, ensemble.Scores["accuracy"], 6);
        double logLoss = -Enumerable.Range(0, test.Count).Average(i => Math.Log(probabilities[i * 10 + test.Labels![i]]));
        Assert.Equal(logLoss, ensemble.Scores["loss"], 3);
        Assert.Contains("ensemble members=3 test_accuracy=", output);
    }

    [Fact]
    public void AnEnsembleWithoutATestSetIsRefusedBeforeTraining()
    {
        var e = Assert.Throws<ArgumentException>(() => Train("""
            data: {dataset: digits}
            model: {layers: [flatten, {name: dense, units: 10}]}
            loss: sparse_categorical_crossentropy
            ensemble: 2
            """));
        Assert.Contains("data.test_split", e.Message);
    }

    [Fact]
    public void TheRunDirectoryKeepsTheFoldsTheMembersAndTheirScores()
    {
        string yaml = """
            epochs: 1
            data: {dataset: breast_cancer, test_split: 0.2, preprocessing: [standardize]}
            model: {layers: [{name: dense, units: 2}]}
            loss: sparse_categorical_crossentropy
            metrics: [accuracy]
            cross_validation: 2
            ensemble: 2
            """;
        var (result, _) = Train(yaml);
        using var dir = new Sparta.Tests.Data.TempDirectory();
        string run = Path.Combine(dir.Path, "run");
        RunDirectory.Write(run, yaml, result);
        Assert.True(File.Exists(Path.Combine(run, "member-2.sparta")));
        Assert.Contains("\"std\"", File.ReadAllText(Path.Combine(run, RunDirectory.CrossValidationFile)));
        Assert.Contains("\"ensemble\"", File.ReadAllText(Path.Combine(run, RunDirectory.EnsembleFile)));
    }

    private static Dictionary<string, string> Values(string line) => line.Split(' ').Where(f => f.Contains('='))
        .ToDictionary(f => f[..f.IndexOf('=')], f => f[(f.IndexOf('=') + 1)..]);
}
