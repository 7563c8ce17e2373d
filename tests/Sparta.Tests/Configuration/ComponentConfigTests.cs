using Sparta.Configuration;

namespace Sparta.Tests.Configuration;

public class ComponentConfigTests
{
    [Fact]
    public void JsonRoundTripKeepsTypesAndNesting()
    {
        var inner = new ComponentConfig("cosine", [new("decay_steps", 100), new("restarts", true)]);
        var config = new ComponentConfig("adam", [new("learning_rate", inner), new("beta_1", 0.8f), new("note", "x")]);
        string json = config.ToJson();
        Assert.Equal("{\"name\":\"adam\",\"beta_1\":0.800000011920929,\"learning_rate\":{\"name\":\"cosine\",\"decay_steps\":100,\"restarts\":true},\"note\":\"x\"}", json);
        var back = ComponentConfig.FromJson(json);
        Assert.Equal(config, back);
        Assert.IsType<ComponentConfig>(back.Parameters["learning_rate"]);
        Assert.Equal(100.0, ((ComponentConfig)back.Parameters["learning_rate"]).Parameters["decay_steps"]);
    }

    [Fact]
    public void ListsRoundTripThroughJson()
    {
        var config = new ComponentConfig("conv2d", [new("kernel_size", new[] { 3, 5 }), new("tags", new object[] { "a", true })]);
        string json = config.ToJson();
        Assert.Equal("{\"name\":\"conv2d\",\"kernel_size\":[3,5],\"tags\":[\"a\",true]}", json);
        var back = ComponentConfig.FromJson(json);
        Assert.Equal(config, back);
        Assert.Equal(new object[] { 3.0, 5.0 }, (IReadOnlyList<object>)back.Parameters["kernel_size"]);
    }

    [Theory]
    [InlineData("{\"learning_rate\": 1}", "\"name\"")]
    [InlineData("[1, 2]", "Array")]
    [InlineData("{\"name\": \"adam\", \"betas\": null}", "config.betas: unsupported value null")]
    [InlineData("{\"name\": \"conv2d\", \"kernel_size\": [3, null]}", "config.kernel_size.1: unsupported value null")]
    [InlineData("{\"name\": ", "invalid JSON")]
    public void BadJsonIsAOneLineError(string json, string mention)
    {
        var e = Assert.Throws<FormatException>(() => ComponentConfig.FromJson(json));
        Assert.Contains(mention, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ClosestNamesComeFirstAndAllNamesWhenNoneIsClose()
    {
        string[] valid = ["adam", "adamw", "sgd", "rmsprop"];
        Assert.Equal(["adam", "adamw"], NameSuggestions.Closest("adma", valid));
        Assert.Equal(["rmsprop"], NameSuggestions.Closest("RMSProp", valid));
        Assert.Equal(["adam", "adamw", "rmsprop", "sgd"], NameSuggestions.Closest("zzzzzzzz", valid));
    }
}
