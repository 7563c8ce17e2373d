using Sparta.Experiments;

namespace Sparta.Tests.Experiments;

public class ExperimentComparisonTests
{
    private const string Base = """
        name: mlp
        epochs: 5
        data: {dataset: fashion-mnist, validation_split: 0.1}
        model:
          layers:
            - flatten
            - {name: dense, units: 256, activation: relu}
        optimizer: {name: adam, learning_rate: 0.01}
        """;

    [Fact]
    public void OnlyTheKeysWhoseValuesDifferAreFlagged()
    {
        string other = Base.Replace("units: 256", "units: 128").Replace("epochs: 5", "epochs: 10");
        var keys = ExperimentComparison.Compare([("a", Base), ("b", other)]);
        Assert.Equal(["epochs", "model.layers.1.units"], keys.Where(k => k.Differs).Select(k => k.Key));
        Assert.Equal(["name", "epochs", "data.dataset", "data.validation_split", "model.layers.0", "model.layers.1.name", "model.layers.1.units",
            "model.layers.1.activation", "optimizer.name", "optimizer.learning_rate"], keys.Select(k => k.Key));
        Assert.Equal(["256", "128"], keys.Single(k => k.Key == "model.layers.1.units").Values);
    }

    [Fact]
    public void NumbersCompareAsNumbers()
    {
        var keys = ExperimentComparison.Compare([("a", Base), ("b", Base.Replace("learning_rate: 0.01", "learning_rate: 1e-2"))]);
        Assert.DoesNotContain(keys, k => k.Differs);
    }

    [Fact]
    public void AKeyOnlySomeFilesHaveDiffersAndIsAbsentFromTheOthers()
    {
        string third = Base.Replace("    - {name: dense, units: 256, activation: relu}", "    - {name: dense, units: 256, activation: relu}\n    - {name: dropout, rate: 0.5}");
        var keys = ExperimentComparison.Compare([("a", Base), ("b", Base), ("c", third), ("d", null)]);
        var rate = keys.Single(k => k.Key == "model.layers.2.rate");
        Assert.True(rate.Differs);
        Assert.Equal([null, null, "0.5", null], rate.Values);
        // A run without an experiment file differs on every key.
        Assert.All(keys, k => Assert.True(k.Differs));
    }

    [Fact]
    public void AFileThatIsNotYamlIsNamedInTheError()
    {
        var e = Assert.Throws<ExperimentException>(() => ExperimentComparison.Compare([("runs/a/experiment.yaml", "a: [1, 2")]));
        Assert.Contains("runs/a/experiment.yaml", e.Message);
    }
}
