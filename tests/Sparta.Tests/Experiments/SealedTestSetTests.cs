using Sparta.Data.Loaders;
using Sparta.Experiments;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tuning.Experiments;

namespace Sparta.Tests.Experiments;

/// <summary>
/// "Look at the test set once": <c>data.seal_test</c> keeps the test set out of development runs and
/// every tuning trial; only the final run (<c>final: true</c>, <c>sparta train --final</c>) evaluates it.
/// </summary>
public sealed class SealedTestSetTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public SealedTestSetTests()
    {
        BlobFiles.Write(_directory.Path, 300, new RandomGenerator(1));
        BlobFiles.Write(_directory.Path, 90, new RandomGenerator(2), "_test");
        // A test set no model of this experiment can read (5 features for 4 inputs): any run that touched it would fail.
        NpyFile.Write(_directory.File("x_unreadable.npy"), Tensor.FromArray(new float[90 * 5], 90, 5));
    }

    public void Dispose() => _directory.Dispose();

    private static string Yaml(string test, string more = "", string rate = "0.01") => $$"""
        seed: 5
        epochs: 3
        batch_size: 30
        data:
          train: {inputs: x.npy, targets: y.npy}
          test: {inputs: {{test}}, targets: y_test.npy}
          validation_split: 0.2
          preprocessing: [standardize]
          {{more}}
        model: {layers: [{name: dense, units: 8, activation: relu}, {name: dense, units: 3}]}
        loss: sparse_categorical_crossentropy
        metrics: [accuracy]
        optimizer: {name: adam, learning_rate: {{rate}}}
        """;

    private Experiment Parse(string yaml) => Experiment.Parse(yaml, "exp.yaml", _directory.Path);

    private static (RunResult Result, string Output) Run(Experiment experiment)
    {
        var output = new StringWriter();
        var result = new ExperimentRunner(experiment.Spec(), experiment.Directory).Run(output, verbose: false, diagnose: false);
        return (result, output.ToString());
    }

    [Fact]
    public void DevelopmentRunsAndTrialsNeverTouchASealedTestSetAndTheFinalRunDoes()
    {
        var (result, output) = Run(Parse(Yaml("x_unreadable.npy", "seal_test: true")));
        Assert.Empty(result.TestScores);
        Assert.Null(result.Data.Test);
        Assert.Contains("test set sealed (data.seal_test): not evaluated", output);

        var search = Parse(Yaml("x_unreadable.npy", "seal_test: true\nfinal: true", rate: "{loguniform: [0.001, 0.1]}"));
        var objective = new ExperimentObjective(search);
        double value = objective.Train(search.Resolve(p => p.First), null);
        Assert.InRange(value, 0, 1); // the trial's val_accuracy, though the file asks for the final run

        // The final run opens it, and so fails on it: the runs above would have, had they looked.
        Assert.ThrowsAny<Exception>(() => Run(Parse(Yaml("x_unreadable.npy", "seal_test: true\nfinal: true"))));
    }

    [Fact]
    public void TheFinalRunScoresTheTestSetAsAnUnsealedRunDoesAndSaysSo()
    {
        var (open, _) = Run(Parse(Yaml("x_test.npy")));
        var (final, output) = Run(Parse(Yaml("x_test.npy", "seal_test: true\nfinal: true")));
        Assert.Equal(open.TestScores, final.TestScores);
        Assert.Contains("final run: the sealed test set evaluated once (90 samples)", output);
    }

    [Theory]
    [InlineData("data: {dataset: digits, seal_test: true}", "exp.yaml: data.seal_test: there is no test set to seal")]
    [InlineData("final: true\ndata: {dataset: digits, test_split: 0.2}", "exp.yaml: final: (sparta train --final) opens the test set that data.seal_test keeps sealed")]
    public void SealingWithoutATestSetOrAFinalRunOfAnOpenOneIsOneLine(string data, string expected)
    {
        var e = Assert.Throws<ExperimentException>(() => Experiment.Parse(data + "\nmodel: {layers: [flatten]}\nloss: mse\n", "exp.yaml", _directory.Path).Spec());
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
