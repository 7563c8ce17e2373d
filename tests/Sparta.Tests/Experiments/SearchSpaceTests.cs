using Sparta.Experiments;

namespace Sparta.Tests.Experiments;

public class SearchSpaceTests
{
    private static readonly string Searched = ExperimentText.Small
        .Replace("learning_rate: 0.01", "learning_rate: {loguniform: [1e-4, 1]}")
        .Replace("units: 8", "units: {int: [4, 64], step: 4}")
        .Replace("activation: relu", "activation: {choice: [relu, tanh]}");

    [Fact]
    public void DistributionsAreFoundWithTheirPathsKindsAndBounds()
    {
        var space = Experiment.Parse(Searched, "exp.yaml").SearchSpace;
        Assert.Equal(
        [
            new SearchParameter("model.layers.0.units", SearchKind.Int, 4, 64, Step: 4),
            new SearchParameter("model.layers.0.activation", SearchKind.Choice, Choices: space[1].Choices),
            new SearchParameter("optimizer.learning_rate", SearchKind.LogUniform, 1e-4, 1, Log: true),
        ], space);
        Assert.Equal(["relu", "tanh"], space[1].Choices!);
    }

    [Fact]
    public void TrainingASearchSpaceIsRefusedAndPointsToTune()
    {
        var e = Assert.Throws<ExperimentException>(() => Experiment.Parse(Searched, "exp.yaml").Spec());
        Assert.Contains("sparta tune", e.Message);
        Assert.StartsWith("exp.yaml: model.layers.0.units: is a search space (3 distributions)", e.Message);
    }

    [Fact]
    public void ResolvingSubstitutesSampledValues()
    {
        var resolved = Experiment.Parse(Searched, "exp.yaml").Resolve(new Dictionary<string, object>
        {
            ["optimizer.learning_rate"] = 0.0123,
            ["model.layers.0.units"] = 12L,
            ["model.layers.0.activation"] = "tanh",
        });
        Assert.Empty(resolved.SearchSpace);
        var spec = resolved.Spec();
        Assert.Equal(0.0123, spec.Optimizer.Parameters["learning_rate"]);
        Assert.Equal(12.0, spec.Model.Layers[0].Config.Parameters["units"]);
        Assert.Equal("tanh", spec.Model.Layers[0].Config.Parameters["activation"]);
    }

    [Fact]
    public void ResolvingAPathOutsideTheSpaceFails()
    {
        var experiment = Experiment.Parse(Searched, "exp.yaml");
        var e = Assert.Throws<ExperimentException>(() => experiment.Resolve(new Dictionary<string, object> { ["optimizer.learning_rat"] = 0.1 }));
        Assert.Contains("did you mean 'optimizer.learning_rate'", e.Message);
    }

    [Theory]
    [InlineData("{uniform: [1, 1]}", "exp.yaml: optimizer.learning_rate.uniform: low must be below high, got [1, 1]")]
    [InlineData("{loguniform: [0, 1]}", "exp.yaml: optimizer.learning_rate.loguniform: a log range must be above zero, got [0, 1]")]
    [InlineData("{uniform: [0.1, 1], stp: 0.1}", "exp.yaml: optimizer.learning_rate.stp: unknown key for a uniform distribution; did you mean 'step'?")]
    [InlineData("{choice: []}", "exp.yaml: optimizer.learning_rate.choice: must be a non-empty list")]
    [InlineData("{uniform: 3}", "exp.yaml: optimizer.learning_rate.uniform: must be a list [low, high], got '3'")]
    public void BadDistributionsAreOneLineErrors(string distribution, string expected)
    {
        string text = ExperimentText.Small.Replace("learning_rate: 0.01", "learning_rate: " + distribution);
        Assert.StartsWith(expected, Assert.Throws<ExperimentException>(() => Experiment.Parse(text, "exp.yaml")).Message);
    }

    [Fact]
    public void KeysAroundDistributionsAreCheckedBeforeAnyTrial()
    {
        string text = Searched.Replace("epochs: 2", "epoks: 2");
        Assert.StartsWith("exp.yaml: epoks: unknown key; did you mean 'epochs'?",
            Assert.Throws<ExperimentException>(() => Experiment.Parse(text, "exp.yaml")).Message);
    }
}
