using Sparta.Configuration;
using Sparta.Optimizers;

namespace Sparta.Tests.Optimizers;

/// <summary>Values that arrive as text (an untyped YAML reader) read as the numbers and booleans they spell.</summary>
public class ConfigTextValuesTests
{
    [Fact]
    public void NumbersAndBooleansAsText()
    {
        var config = new ComponentConfig("sgd", [new("learning_rate", "1e-3"), new("momentum", "0.5"), new("nesterov", "true")]);
        var sgd = (Sgd)OptimizerRegistry.Create(config);
        Assert.Equal(1e-3, sgd.CurrentLearningRate);
        Assert.Equal(0.5, sgd.Momentum);
        Assert.True(sgd.Nesterov);
    }

    [Fact]
    public void TextThatIsNotANumberNamesKeyAndValue()
    {
        var config = new ComponentConfig("adam", [new("learning_rate", "fast")]);
        var e = Assert.ThrowsAny<ArgumentException>(() => OptimizerRegistry.Create(config));
        Assert.Contains("learning_rate", e.Message);
        Assert.Contains("'fast'", e.Message);
    }
}
