using Sparta.Tuning.TestFunctions;

namespace Sparta.Tuning.Tests.TestFunctions;

public class TestFunctionTests
{
    [Fact]
    public void Known_minimizers_reach_the_stated_minimum()
    {
        var branin = TestFunction.Parse("branin");
        foreach (var x in new[] { new[] { -Math.PI, 12.275 }, new[] { Math.PI, 2.275 }, new[] { 9.42478, 2.475 } })
            Assert.Equal(branin.Minimum, branin.Evaluate(x), 1e-5);
        var hartmann = TestFunction.Parse("hartmann6");
        Assert.Equal(hartmann.Minimum, hartmann.Evaluate(new[] { 0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573 }), 1e-5);
        Assert.Equal(0, TestFunction.Parse("rosenbrock:4").Evaluate(new[] { 1.0, 1, 1, 1 }));
        var st = TestFunction.Parse("styblinski-tang:3");
        Assert.Equal(st.Minimum, st.Evaluate(Enumerable.Repeat(-2.903534027771177, 3).ToArray()), 1e-9);
    }

    [Fact]
    public void Minima_are_minima_nearby()
    {
        var random = new Sparta.Tensors.RandomGenerator(1);
        var branin = TestFunction.Branin();
        for (int i = 0; i < 1000; i++)
        {
            var x = new[] { random.Uniform(-5, 10), random.Uniform(0, 15) };
            Assert.True(branin.Evaluate(x) >= branin.Minimum - 1e-12);
        }
    }

    [Theory]
    [InlineData("rastrigin", "unknown test function 'rastrigin'")]
    [InlineData("rosenbrock", "needs a dimension")]
    [InlineData("rosenbrock:x", "'x'")]
    [InlineData("branin:3", "fixed dimension")]
    public void Bad_specs_are_named(string spec, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => TestFunction.Parse(spec)).Message);

    [Fact]
    public void Domains_are_the_standard_ones()
    {
        var r = TestFunction.Parse("rosenbrock:3");
        Assert.Equal(3, r.Dimension);
        Assert.All(r.Low, v => Assert.Equal(-5, v));
        Assert.All(r.High, v => Assert.Equal(10, v));
        Assert.Equal(new[] { -5.0, 0 }, TestFunction.Branin().Low);
        Assert.Equal(new[] { 10.0, 15 }, TestFunction.Branin().High);
    }
}
