using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Tests.Distributions;

public class DistributionSpecTests
{
    private static Distribution Parse(params (string Key, object? Value)[] entries) =>
        DistributionSpec.Parse("lr", entries.ToDictionary(e => e.Key, e => e.Value));

    [Fact]
    public void Reads_every_form_with_yaml_strings_or_numbers()
    {
        Assert.Equal(new FloatDistribution(0, 1), Parse(("uniform", new object?[] { "0", "1" })));
        Assert.Equal(new FloatDistribution(0, 1, step: 0.25), Parse(("uniform", new object?[] { 0, 1 }), ("step", "0.25")));
        Assert.Equal(new FloatDistribution(1e-3, 10, log: true), Parse(("loguniform", new object?[] { "1e-3", 10.0 })));
        Assert.Equal(new IntDistribution(16, 512, step: 16), Parse(("int", new object?[] { "16", "512" }), ("step", 16)));
        Assert.Equal(new IntDistribution(1, 1024, log: true), Parse(("int", new object?[] { 1, 1024 }), ("log", "true")));
        Assert.Equal(new CategoricalDistribution(new object?[] { "relu", 3L, 0.5, true }), Parse(("choice", new object?[] { "relu", "3", "0.5", "true" })));
    }

    [Theory]
    [InlineData("uniform", "1", "1", "lr: low must be below high, got [1, 1]")]
    [InlineData("uniform", "2", "1", "lr: low must be below high, got [2, 1]")]
    [InlineData("loguniform", "0", "1", "lr: a log range must be above zero, got [0, 1]")]
    [InlineData("int", "1.5", "4", "lr: int needs whole numbers, got [1.5, 4]")]
    [InlineData("uniform", "a", "1", "lr: expected a number, got 'a'")]
    public void Bad_ranges_name_the_key_and_values(string kind, string low, string high, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Parse((kind, new object?[] { low, high }))).Message);

    [Fact]
    public void Unknown_or_ambiguous_settings_are_named()
    {
        Assert.Contains("exactly one of", Assert.Throws<ArgumentException>(() => Parse(("gauss", new object?[] { 0, 1 }))).Message);
        Assert.Contains("unknown setting 'base'", Assert.Throws<ArgumentException>(() => Parse(("uniform", new object?[] { 0, 1 }), ("base", 2))).Message);
        Assert.Contains("takes no step", Assert.Throws<ArgumentException>(() => Parse(("loguniform", new object?[] { 1, 2 }), ("step", 1))).Message);
    }
}
