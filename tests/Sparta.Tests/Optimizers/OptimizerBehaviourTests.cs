using Sparta.Configuration;
using Sparta.Optimizers;
using Sparta.Schedules;
using Sparta.Tensors;

namespace Sparta.Tests.Optimizers;

public class OptimizerBehaviourTests
{
    [Fact]
    public void ExportedStateResumesExactly()
    {
        var (uninterrupted, u) = Setup();
        var (first, a) = Setup();
        for (int step = 0; step < 5; step++) Train(uninterrupted, u, step);
        for (int step = 0; step < 3; step++) Train(first, a, step);

        var state = first.ExportState();
        var (resumed, b) = Setup();
        a.Value.Span.CopyTo(b.Value.Span);
        resumed.ImportState(state, [b]);
        for (int step = 3; step < 5; step++) Train(resumed, b, step);

        Assert.Equal(5, resumed.Iterations);
        Assert.Equal(u.Value.ToArray(), b.Value.ToArray());

        static (Optimizer, Parameter) Setup() =>
            (new Adam(new ReduceOnPlateau(0.01, patience: 1)), new Parameter("dense.kernel", Tensor.Full(1f, 3, 5)));

        static void Train(Optimizer optimizer, Parameter p, int step)
        {
            for (int i = 0; i < p.Value.Size; i++) p.Gradient.Span[i] = p.Value.Span[i] * (i + 1) - step;
            optimizer.Step([p]);
            ((ReduceOnPlateau)optimizer.LearningRate).Report(1.0); // never improves after the first: the rate drops
        }
    }

    [Fact]
    public void StateNamesSlotsByParameterAndSlot()
    {
        var optimizer = new Adam();
        optimizer.Step([new Parameter("w", Tensor.Zeros(2)), new Parameter("b", Tensor.Zeros(1))]);
        Assert.Equal(["b/m", "b/v", "w/m", "w/v"], optimizer.ExportState().Slots.Keys.Order());
    }

    [Fact]
    public void ImportRejectsMissingSlotsByName()
    {
        var state = new OptimizerState(1, new Dictionary<string, float[]> { ["x/velocity"] = [0f] }, new Dictionary<string, double>());
        var e = Assert.Throws<ArgumentException>(() => new Sgd(momentum: 0.9).ImportState(state, [new Parameter("w", Tensor.Zeros(1))]));
        Assert.Contains("w/velocity", e.Message);
    }

    [Fact]
    public void FrozenParametersAreNotUpdated()
    {
        var frozen = new Parameter("frozen", Tensor.Full(1f, 4)) { Trainable = false };
        var live = new Parameter("live", Tensor.Full(1f, 4));
        frozen.Gradient.Span.Fill(1);
        live.Gradient.Span.Fill(1);
        new Sgd(0.5).Step([frozen, live]);
        Assert.All(frozen.Value.ToArray(), v => Assert.Equal(1f, v));
        Assert.All(live.Value.ToArray(), v => Assert.Equal(0.5f, v));
    }

    [Fact]
    public void StepRejectsAnotherParameterList()
    {
        var optimizer = new Sgd();
        optimizer.Step([new Parameter("w", Tensor.Zeros(2))]);
        var e = Assert.Throws<ArgumentException>(() => optimizer.Step([new Parameter("v", Tensor.Zeros(2))]));
        Assert.Contains("'v'", e.Message);
    }

    [Fact]
    public void DuplicateParameterNamesAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sgd().Step([new Parameter("w", Tensor.Zeros(1)), new Parameter("w", Tensor.Zeros(1))]));
        Assert.Contains("'w'", e.Message);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("nesterov")]
    [InlineData("adagrad")]
    [InlineData("rmsprop")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("lbfgs")]
    public void ConfigRoundTrips(string name)
    {
        var config = OptimizerRegistry.Create(name).GetConfig();
        var again = OptimizerRegistry.Create(ComponentConfig.FromJson(config.ToJson())).GetConfig();
        Assert.Equal(config, again);
    }

    [Fact]
    public void ConfigKeepsNonDefaultValuesAndNestedSchedules()
    {
        var adam = new Adam(new CosineDecay(0.01, 100), beta1: 0.8, options: new OptimizerOptions { ClipNorm = 2 });
        var copy = (Adam)OptimizerRegistry.Create(ComponentConfig.FromJson(adam.GetConfig().ToJson()));
        Assert.Equal(0.8, copy.Beta1);
        Assert.Equal(2, copy.Options.ClipNorm);
        Assert.Equal(adam.LearningRate.Rate(37), copy.LearningRate.Rate(37));
    }

    [Fact]
    public void PresetsAreSgdWithMomentum()
    {
        var nesterov = (Sgd)OptimizerRegistry.Create("nesterov");
        Assert.Equal(0.9, nesterov.Momentum);
        Assert.True(nesterov.Nesterov);
        Assert.Equal("sgd", nesterov.GetConfig().Name);
    }

    [Fact]
    public void UnknownNameListsTheClosestNames()
    {
        var e = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Create("adma"));
        Assert.Contains("'adma'", e.Message);
        Assert.Contains("adam", e.Message);
    }

    [Fact]
    public void UnknownKeyListsTheClosestKeys()
    {
        var config = new ComponentConfig("adam", [new("learning_rat", 0.1)]);
        var e = Assert.ThrowsAny<ArgumentException>(() => OptimizerRegistry.Create(config));
        Assert.Contains("'learning_rat'", e.Message);
        Assert.Contains("learning_rate", e.Message);
    }

    [Fact]
    public void BadArgumentsNameTheArgumentAndValue()
    {
        AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new Adam(beta1: 1.5)), "beta_1", "1.5");
        AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new Sgd(-0.1)), "learning_rate", "-0.1");
        AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new Sgd(momentum: 0, nesterov: true)), "nesterov", "momentum 0");
        AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new Sgd(options: new OptimizerOptions { ClipNorm = 1, ClipValue = 1 })), "clip", "2");
        AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => new Lbfgs(historySize: 0)), "history_size", "0");
        var fromConfig = new ComponentConfig("rmsprop", [new("rho", "high")]);
        AssertOneLine(Assert.ThrowsAny<ArgumentException>(() => OptimizerRegistry.Create(fromConfig)), "rho", "'high'");
    }

    private static void AssertOneLine(Exception e, string argument, string value)
    {
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(argument, e.Message);
        Assert.Contains(value, e.Message);
    }
}
