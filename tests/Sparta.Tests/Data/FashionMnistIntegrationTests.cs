using Sparta.Data;

namespace Sparta.Tests.Data;

/// <summary>The real Fashion-MNIST from Debian's dataset-fashion-mnist (test.sh installs it).</summary>
public class FashionMnistIntegrationTests
{
    [Fact]
    public void TrainingSetHas60000ImagesWith6000PerClass()
    {
        var data = DatasetRegistry.Load("fashion-mnist", "train");

        Assert.Equal([60000, 1, 28, 28], data.Input("image").Shape.ToArray());
        Assert.Equal(10, data.ClassCount);
        Assert.All(data.Labels!.GroupBy(l => l), g => Assert.Equal(6000, g.Count()));
        Assert.Equal(10, data.Labels!.Distinct().Count());
        var pixels = data.Input("image").Span;
        float min = float.MaxValue, max = float.MinValue;
        foreach (float p in pixels) { min = Math.Min(min, p); max = Math.Max(max, p); }
        Assert.Equal(0f, min);
        Assert.Equal(255f, max);
    }

    [Fact]
    public void TestSetHas10000Images()
    {
        var data = DatasetRegistry.Load("fashion-mnist", "test");

        Assert.Equal([10000, 1, 28, 28], data.Input("image").Shape.ToArray());
        Assert.All(data.Labels!.GroupBy(l => l), g => Assert.Equal(1000, g.Count()));
    }
}
