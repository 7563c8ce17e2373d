using Sparta.Data;
using Sparta.Experiments;
using Sparta.Losses;

namespace Sparta.Tests.Experiments;

/// <summary>data.test_split, data.one_hot and data.inputs_as_targets, end to end on scikit-learn's real sets.</summary>
public class DataTechniqueTests
{
    private static ExperimentSpec Spec(string yaml) => Experiment.Parse(yaml, "exp.yaml", Path.GetTempPath()).Spec();

    private static RunResult Train(string yaml) =>
        new ExperimentRunner(Spec(yaml), Path.GetTempPath()).Run(TextWriter.Null, verbose: false, diagnose: false);

    private static ExperimentData Load(string yaml)
    {
        var spec = Spec(yaml);
        return ExperimentData.Load(spec.Data, LossRegistry.Create(spec.Loss), Path.GetTempPath(), spec.Seed);
    }

    private const string BreastCancer = """
        seed: SEED
        data: {dataset: breast_cancer, test_split: 0.25, preprocessing: [standardize]}
        model: {layers: [{name: dense, units: 2}]}
        loss: sparse_categorical_crossentropy
        """;

    [Fact]
    public void TestSplitHoldsOutAStratifiedFractionTheSameForEverySeed()
    {
        var one = Load(BreastCancer.Replace("SEED", "1"));
        var two = Load(BreastCancer.Replace("SEED", "2"));
        var all = DatasetRegistry.Load("breast_cancer");
        int malignant = all.Labels!.Count(l => l == 0), benign = all.Count - malignant;

        // Stratified: a quarter of each class, rounded.
        Assert.Equal((int)Math.Round(malignant * 0.25, MidpointRounding.AwayFromZero), one.Test!.Labels!.Count(l => l == 0));
        Assert.Equal((int)Math.Round(benign * 0.25, MidpointRounding.AwayFromZero), one.Test.Labels!.Count(l => l == 1));
        Assert.Equal(all.Count, one.Train.Count + one.Test.Count);
        Assert.Equal(one.Test.Input("input").ToArray(), two.Test!.Input("input").ToArray());
        // Standardized with the training part's statistics only: its columns have mean 0, the test's do not exactly.
        var train = one.Train.Input("input").ToArray();
        Assert.InRange(Enumerable.Range(0, one.Train.Count).Average(r => train[r * 30]), -1e-4, 1e-4);
    }

    [Fact]
    public void SigmoidMseClassifierOnOneHotTargetsLearnsDigits()
    {
        var data = Load("""
            data: {dataset: digits, test_split: 0.2, one_hot: true}
            model: {layers: [flatten, {name: dense, units: 10, activation: sigmoid}]}
            loss: mse
            """);
        Assert.Equal([data.Train.Count, 10], data.Train.Target.Shape.ToArray());
        var targets = data.Train.Target.ToArray();
        for (int i = 0; i < data.Train.Count; i++)
            for (int c = 0; c < 10; c++) Assert.Equal(c == data.Train.Labels![i] ? 1f : 0f, targets[i * 10 + c]);

        var result = Train("""
            seed: 4
            epochs: 15
            data: {dataset: digits, test_split: 0.2, one_hot: true, preprocessing: [{name: min_max, scope: all}]}
            model: {layers: [flatten, {name: dense, units: 32, activation: relu}, {name: dense, units: 10, activation: sigmoid}]}
            loss: mse
            metrics: [accuracy]
            optimizer: {name: adam, learning_rate: 0.01}
            """);
        Assert.True(result.TestScores["accuracy"] > 0.9, $"test accuracy {result.TestScores["accuracy"]}");
    }

    [Fact]
    public void AutoencoderLearnsToReconstructDigitsFarBetterThanTheMeanImage()
    {
        var result = Train("""
            seed: 2
            epochs: 30
            batch_size: 64
            data: {dataset: digits, test_split: 0.2, inputs_as_targets: true, preprocessing: [{name: min_max, scope: all}]}
            model:
              layers:
                - flatten
                - {name: dense, units: 24, activation: softplus}
                - {name: dense, units: 64, activation: sigmoid}
                - {name: reshape, target_shape: [1, 8, 8]}
            loss: mse
            optimizer: {name: adam, learning_rate: 0.01}
            """);
        var (train, test) = (result.Data.Train, result.Data.Test!);
        Assert.Same(test.Inputs[0].Data, test.Target);
        // The baseline predicts every test image as the training images' mean image.
        var x = train.Inputs[0].Data.ToArray();
        var mean = new double[64];
        for (int i = 0; i < x.Length; i++) mean[i % 64] += x[i] / train.Count;
        var t = test.Inputs[0].Data.ToArray();
        double baseline = t.Select((v, i) => (v - mean[i % 64]) * (v - mean[i % 64])).Average();
        Assert.True(result.TestScores["loss"] < 0.5 * baseline, $"reconstruction mse {result.TestScores["loss"]}, mean image {baseline}");
    }

    [Theory]
    [InlineData("data: {dataset: fashion-mnist, test_split: 0.2}", "exp.yaml: data.test_split: dataset 'fashion-mnist' brings a test set already; remove test_split")]
    [InlineData("data: {dataset: digits, test_split: 1.5}", "exp.yaml: data.test_split: must be in [0, 1), got 1.5")]
    [InlineData("data: {dataset: digits, test_split: 0.5, validation_split: 0.5}", "exp.yaml: data.test_split: validation_split + test_split must leave training samples, got 0.5 + 0.5")]
    [InlineData("data: {dataset: digits, one_hot: true, inputs_as_targets: true}", "exp.yaml: data.one_hot: the targets are either one-hot classes or the inputs")]
    [InlineData("data: {dataset: digits, one_hot: true}\nloss: sparse_categorical_crossentropy", "exp.yaml: data.one_hot: sparse_categorical_crossentropy takes class indices")]
    public void BadDataKeysAreOneLine(string data, string expected)
    {
        string yaml = data + "\nmodel: {layers: [flatten]}\n" + (data.Contains("loss:") ? "" : "loss: mse\n");
        var e = Assert.Throws<ExperimentException>(() => Spec(yaml));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void OneHotOnARegressionSetIsRefusedWhenLoaded()
    {
        var e = Assert.Throws<ArgumentException>(() => Load("data: {dataset: diabetes, one_hot: true}\nmodel: {layers: [flatten]}\nloss: mse\n"));
        Assert.Contains("data.one_hot", e.Message);
    }

    private static readonly string Examples = Path.Combine(RepositoryRoot.Path, "examples");

    private static RunResult TrainExample(string name) =>
        new ExperimentRunner(Experiment.Load(Path.Combine(Examples, name)).Spec(), Examples).Run(TextWriter.Null, verbose: false, diagnose: false);

    [Fact]
    public void PenguinsExampleOneHotEncodesTheTextColumnsAndLearnsTheSpecies()
    {
        var result = TrainExample("penguins-csv.yaml");
        var table = Sparta.Data.Loaders.CsvReader.Read(Path.Combine(Examples, "data", "penguins.csv"), ["species", "island", "sex"]);
        // Five numeric columns, three islands and two sexes; species is the target, not a feature.
        Assert.Equal(5 + 3 + 2, result.Data.Train.Inputs[0].Data.Shape[1]);
        Assert.Equal(table.RowCount, result.Data.Train.Count + (result.Data.Validation?.Count ?? 0) + result.Data.Test!.Count);
        Assert.Equal(3, result.Data.Train.ClassCount);
        Assert.True(result.TestScores["accuracy"] > 0.95, $"test accuracy {result.TestScores["accuracy"]}");
    }

    [Fact]
    public void DiabetesExampleBeatsTheMeanPredictionsAbsoluteError()
    {
        var result = TrainExample("diabetes-mae.yaml");
        var (train, test) = (result.Data.Train.Target.ToArray(), result.Data.Test!.Target.ToArray());
        // The best constant under the absolute error is the training targets' median.
        float median = train.Order().ElementAt(train.Length / 2);
        double baseline = test.Average(y => Math.Abs(y - median));
        Assert.True(result.TestScores["mae"] < 0.8 * baseline, $"test MAE {result.TestScores["mae"]}, median's {baseline}");
        Assert.Equal(result.TestScores["loss"], result.TestScores["mae"], 4);
    }

    [Theory]
    [InlineData("data: {train: {inputs: p.csv, targets: y.npy}, target_column: species}", "exp.yaml: data.train.targets: the targets are data.target_column 'species' of the inputs' file; remove targets")]
    [InlineData("data: {train: {inputs: p.npy}, target_column: species}", "exp.yaml: data.train.inputs: data.target_column reads the targets out of one CSV file of inputs, got p.npy")]
    [InlineData("data: {dataset: digits, categorical: [island]}", "exp.yaml: data.categorical: applies to CSV files in data.train, not to dataset 'digits'")]
    public void BadTabularKeysAreOneLine(string data, string expected)
    {
        var e = Assert.Throws<ExperimentException>(() => Spec(data + "\nmodel: {layers: [flatten]}\nloss: mse\n"));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void AColumnNotDeclaredCategoricalNamesTheFileLineAndValue()
    {
        using var dir = new Sparta.Tests.Data.TempDirectory();
        File.WriteAllText(dir.File("p.csv"), "species,island,mass\nAdelie,Dream,3.5\nGentoo,Biscoe,5.1\n");
        var spec = Experiment.Parse("data: {train: {inputs: p.csv}, target_column: species}\nmodel: {layers: [{name: dense, units: 2}]}\nloss: sparse_categorical_crossentropy\n",
            "exp.yaml", dir.Path).Spec();
        var e = Assert.Throws<DataFileException>(() => ExperimentData.Load(spec.Data, LossRegistry.Create(spec.Loss), dir.Path, spec.Seed));
        Assert.Contains("p.csv", e.Message);
        Assert.Contains("Dream", e.Message);
    }
}
