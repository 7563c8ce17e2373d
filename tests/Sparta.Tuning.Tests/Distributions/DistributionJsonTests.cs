using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Tests.Distributions;

public class DistributionJsonTests
{
    // Expected texts are what optuna 3.1's distribution_to_json prints for the same distributions.
    public static TheoryData<Distribution, string> OptunaTexts => new()
    {
        { new FloatDistribution(1e-3, 10, log: true), "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": 0.001, \"high\": 10.0, \"log\": true}}" },
        { new FloatDistribution(-5, 10), "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": -5.0, \"high\": 10.0, \"log\": false}}" },
        { new FloatDistribution(0, 1, step: 0.3), "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": 0.3, \"low\": 0.0, \"high\": 0.9, \"log\": false}}" },
        { new FloatDistribution(1e-5, 1e20, log: true), "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": 1e-05, \"high\": 1e+20, \"log\": true}}" },
        { new FloatDistribution(0.1, 1234567890123456.7), "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": 0.1, \"high\": 1234567890123456.8, \"log\": false}}" },
        { new IntDistribution(1, 10), "{\"name\": \"IntDistribution\", \"attributes\": {\"log\": false, \"step\": 1, \"low\": 1, \"high\": 10}}" },
        { new IntDistribution(1, 1024, log: true), "{\"name\": \"IntDistribution\", \"attributes\": {\"log\": true, \"step\": 1, \"low\": 1, \"high\": 1024}}" },
        { new IntDistribution(0, 10, step: 3), "{\"name\": \"IntDistribution\", \"attributes\": {\"log\": false, \"step\": 3, \"low\": 0, \"high\": 9}}" },
        { new CategoricalDistribution(new object?[] { "adam", "sgd", "é", null, true, 1, 2.5 }),
          "{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [\"adam\", \"sgd\", \"\\u00e9\", null, true, 1, 2.5]}}" },
    };

    [Theory, MemberData(nameof(OptunaTexts))]
    public void Writes_optunas_text_and_reads_it_back(Distribution distribution, string optunaText)
    {
        Assert.Equal(optunaText, distribution.ToJson());
        Assert.Equal(distribution, Distribution.FromJson(optunaText));
        Assert.Equal(optunaText, Distribution.FromJson(optunaText).ToJson()); // integers stay integers
    }

    [Fact]
    public void Reads_deprecated_classes_and_the_abbreviated_form()
    {
        Assert.Equal(new FloatDistribution(1, 2), Distribution.FromJson("{\"name\": \"UniformDistribution\", \"attributes\": {\"low\": 1.0, \"high\": 2.0}}"));
        Assert.Equal(new FloatDistribution(1, 2, log: true), Distribution.FromJson("{\"name\": \"LogUniformDistribution\", \"attributes\": {\"low\": 1.0, \"high\": 2.0}}"));
        Assert.Equal(new FloatDistribution(0, 1, step: 0.25), Distribution.FromJson("{\"name\": \"DiscreteUniformDistribution\", \"attributes\": {\"low\": 0.0, \"high\": 1.0, \"q\": 0.25}}"));
        Assert.Equal(new IntDistribution(2, 8, step: 2), Distribution.FromJson("{\"name\": \"IntUniformDistribution\", \"attributes\": {\"low\": 2, \"high\": 8, \"step\": 2}}"));
        Assert.Equal(new IntDistribution(1, 64, log: true), Distribution.FromJson("{\"name\": \"IntLogUniformDistribution\", \"attributes\": {\"low\": 1, \"high\": 64, \"step\": 1}}"));
        Assert.Equal(new IntDistribution(0, 9, step: 3), Distribution.FromJson("{\"type\": \"int\", \"low\": 0, \"high\": 10, \"step\": 3}"));
        Assert.Equal(new CategoricalDistribution(new object?[] { "a", 1L }), Distribution.FromJson("{\"type\": \"categorical\", \"choices\": [\"a\", 1]}"));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(1e-7)]
    [InlineData(123456.789)]
    [InlineData(1e16)]
    [InlineData(1234567890123456.8)]
    [InlineData(-2.5e-300)]
    [InlineData(0.0001)]
    public void Python_float_text_round_trips_to_the_same_double(double value)
    {
        string text = PythonJson.Float(value);
        Assert.Equal(value, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        // Python writes positional notation exactly for decimal exponents in [-4, 16).
        int exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        Assert.Equal(exponent < -4 || exponent >= 16, text.Contains('e'));
    }

    [Fact]
    public void Internal_and_external_forms_convert_both_ways()
    {
        var categorical = new CategoricalDistribution(new object?[] { "relu", "tanh", 3 });
        Assert.Equal(1.0, categorical.ToInternal("tanh"));
        Assert.Equal(2.0, categorical.ToInternal(3.0)); // Python equality: 3 == 3.0
        Assert.Equal("tanh", categorical.ToExternal(1.0));
        Assert.Equal(7L, new IntDistribution(1, 10).ToExternal(7.0));
        Assert.Throws<ArgumentException>(() => categorical.ToInternal("gelu"));
        Assert.Throws<ArgumentException>(() => new FloatDistribution(1e-3, 1, log: true).ToInternal(0.0));
    }

    [Fact]
    public void Contains_respects_the_step_grid()
    {
        var f = new FloatDistribution(0, 1, step: 0.25);
        Assert.True(f.Contains(0.75));
        Assert.False(f.Contains(0.7));
        Assert.False(f.Contains(1.25));
        var i = new IntDistribution(1, 9, step: 2);
        Assert.True(i.Contains(5));
        Assert.False(i.Contains(4));
    }

    [Fact]
    public void Bad_ranges_fail_naming_the_values()
    {
        Assert.Contains("low=0", Assert.Throws<ArgumentException>(() => new FloatDistribution(0, 1, log: true)).Message);
        Assert.Contains("low=3", Assert.Throws<ArgumentException>(() => new IntDistribution(3, 1)).Message);
        Assert.Contains("step=-1", Assert.Throws<ArgumentException>(() => new FloatDistribution(0, 1, step: -1)).Message);
    }

    [Fact]
    public void Compatibility_allows_new_bounds_but_not_a_new_kind_or_scale()
    {
        Distribution.CheckCompatibility("x", new FloatDistribution(0, 1), new FloatDistribution(-1, 2));
        Assert.Throws<ArgumentException>(() => Distribution.CheckCompatibility("x", new FloatDistribution(1, 2), new FloatDistribution(1, 2, log: true)));
        Assert.Throws<ArgumentException>(() => Distribution.CheckCompatibility("x", new FloatDistribution(1, 2), new IntDistribution(1, 2)));
        Assert.Throws<ArgumentException>(() => Distribution.CheckCompatibility("x",
            new CategoricalDistribution(new object?[] { "a" }), new CategoricalDistribution(new object?[] { "a", "b" })));
    }
}
