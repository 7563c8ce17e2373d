using Sparta.Activations;
using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Tests.Layers;

public class LayerBehaviourTests
{
    [Fact]
    public void DropoutIsInvertedOffAtInferenceAndSeeded()
    {
        var x = Tensor.Full(1f, 50, 40);
        var dropout = new Dropout(0.25);
        dropout.Build(new Shape(40), new RandomGenerator(1));
        Assert.Equal(x.ToArray(), dropout.Call(x, training: false).ToArray());
        var first = dropout.Call(x, training: true).ToArray();
        double kept = first.Count(v => v != 0) / (double)first.Length;
        Assert.InRange(kept, 0.70, 0.80);
        Assert.All(first.Where(v => v != 0), v => Assert.Equal(1f / 0.75f, v, 6));
        Assert.Equal(1.0, first.Average(), 1); // inverted: the expectation is kept
        var second = dropout.Call(x, training: true).ToArray();
        Assert.NotEqual(first, second); // a new mask each step

        var replay = new Dropout(0.25);
        replay.Build(new Shape(40), new RandomGenerator(1));
        Assert.Equal(first, replay.Call(x, training: true).ToArray());
        replay.Calls = 1; // a resumed run continues the same masks
        Assert.Equal(second, replay.Call(x, training: true).ToArray());
    }

    [Fact]
    public void BatchNormalizationMovesItsRunningAveragesLikeKeras()
    {
        var bn = new BatchNormalization(momentum: 0.9);
        bn.Build(new Shape(2));
        var x = Tensor.FromArray([1f, 10f, 3f, 20f], 2, 2);
        bn.Call(x, training: true);
        // mean (2, 15), biased variance (1, 25): r = 0.9·r + 0.1·batch
        Assert.Equal(0.2f, bn.MovingMean.Span[0], 5);
        Assert.Equal(1.5f, bn.MovingMean.Span[1], 5);
        Assert.Equal(0.9f + 0.1f * 1f, bn.MovingVariance.Span[0], 5);
        Assert.Equal(0.9f + 0.1f * 25f, bn.MovingVariance.Span[1], 5);
        var before = bn.MovingMean.ToArray();
        bn.Call(x, training: false);
        bn.Trainable = false;
        bn.Call(x, training: true); // frozen: inference statistics, nothing moves
        Assert.Equal(before, bn.MovingMean.ToArray());
    }

    [Fact]
    public void LeakyReluDefaultsToPyTorchsSlopeAndTakesTheSlidesOne()
    {
        Assert.Equal(0.01, ((LeakyRelu)ActivationRegistry.Create("leaky_relu")).Alpha);
        var slides = ActivationRegistry.Create(new ComponentConfig("leaky_relu", [new("alpha", 0.1)]));
        Assert.Equal(-0.2f, slides.Apply(Tensor.FromArray([-2f], 1, 1)).Item(), 6);
    }

    [Fact]
    public void PReluLearnsItsSlope()
    {
        var layer = new ActivationLayer("prelu");
        var x = Tensor.FromArray([-1f, -2f, 1f, -3f], 2, 2);
        var target = Tensor.FromArray([-0.5f, -1f, 1f, -1.5f], 2, 2); // slope 0.5 on both channels
        var optimizer = new Sparta.Optimizers.Sgd(0.05);
        for (int step = 0; step < 200; step++)
        {
            optimizer.ZeroGrad();
            var error = layer.Call(x, training: true) - target;
            var loss = (error * error).Sum();
            loss.Backward();
            optimizer.Step(layer.Parameters);
        }
        Assert.All(layer.Parameters[0].Value.ToArray(), a => Assert.Equal(0.5f, a, 3));
    }

    [Fact]
    public void BadArgumentsAndConfigsFailWithTheKeyAndValue()
    {
        Assert.Contains("units must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new Dense(0)).Message);
        Assert.Contains("padding must be one of valid, same, got 'full'", Assert.Throws<ArgumentException>(() => new Conv2D(2, 3, padding: "full")).Message);
        Assert.Contains("rate must be in [0, 1), got 1", Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1)).Message);
        var typo = Assert.ThrowsAny<ArgumentException>(() => LayerRegistry.Create(new ComponentConfig("dense", [new("units", 3), new("activaton", "relu")])));
        Assert.Contains("unknown key 'activaton'", typo.Message);
        Assert.Contains("activation", typo.Message);
        var activation = Assert.Throws<ArgumentException>(() => LayerRegistry.Create(new ComponentConfig("dense", [new("units", 3), new("activation", "rleu")])));
        Assert.Contains("layer 'dense', key 'activation': activation: unknown name 'rleu'", activation.Message);
        Assert.Contains("relu", activation.Message);
        Assert.Contains("conv2d", Assert.Throws<ArgumentException>(() => LayerRegistry.Create("conv2")).Message);
        Assert.Contains("target_shape must be positive dimensions with at most one -1, got [-1, -1]", Assert.Throws<ArgumentException>(() => new Reshape([-1, -1])).Message);
        Assert.Contains("target_shape [5, 2] does not hold the 12 values of an input of shape (3, 4)", Assert.Throws<ArgumentException>(() => new Reshape([5, 2]).Build(new Shape(3, 4))).Message);
        Assert.Contains("target_shape must be a list of integers such as [1, 28, 28], got 3",
            Assert.ThrowsAny<ArgumentException>(() => LayerRegistry.Create(new ComponentConfig("reshape", [new("target_shape", 3.0)]))).Message);
        Assert.Contains("channel count divisible by 3", Assert.Throws<ArgumentException>(() => new ActivationLayer(new Maxout(3)).Build(new Shape(4))).Message);
    }

    /// <summary>Config JSON as model files written before non-square sizes held it: it must load and be written back unchanged.</summary>
    [Theory]
    [InlineData("{\"name\":\"conv2d\",\"activation\":{\"name\":\"relu\"},\"bias_initializer\":{\"name\":\"zeros\"},\"filters\":4,"
        + "\"kernel_initializer\":{\"name\":\"he_normal\"},\"kernel_size\":3,\"padding\":\"same\",\"strides\":2,\"use_bias\":true}")]
    [InlineData("{\"name\":\"max_pool2d\",\"padding\":\"valid\",\"pool_size\":2,\"strides\":2}")]
    public void SquareSizesKeepTheirConfig(string json)
    {
        var layer = LayerRegistry.Create(ComponentConfig.FromJson(json));
        Assert.Equal(ComponentConfig.FromJson(json).ToJson(), layer.GetConfig().ToJson());
    }

    [Fact]
    public void NonSquareSizesAreWrittenAsHeightAndWidth()
    {
        var conv = new Conv2D(2, (3, 5), (1, 2));
        Assert.Equal(new Size2D(3, 5), conv.KernelSize);
        var config = conv.GetConfig();
        Assert.Equal(new object[] { 3.0, 5.0 }, (IReadOnlyList<object>)config.Parameters["kernel_size"]);
        Assert.Equal(new object[] { 1.0, 2.0 }, (IReadOnlyList<object>)config.Parameters["strides"]);
        var copy = (Conv2D)LayerRegistry.Create(ComponentConfig.FromJson(config.ToJson()));
        Assert.Equal((new Size2D(3, 5), new Size2D(1, 2)), (copy.KernelSize, copy.Strides));
        copy.Build(new Shape(1, 9, 9));
        Assert.Equal(new Shape(2, 1, 3, 5), copy.Kernel.Value.Shape);
        Assert.Equal(new Shape(2, 7, 3), copy.OutputShape);
        var pool = (MaxPool2D)LayerRegistry.Create(ComponentConfig.FromJson("{\"name\":\"max_pool2d\",\"pool_size\":[1,3]}"));
        Assert.Equal((new Size2D(1, 3), new Size2D(1, 3)), (pool.PoolSize, pool.Strides));
    }

    [Theory]
    [InlineData("conv2d", "kernel_size", "[3, 0]", "kernel_size must be positive integers, got [3, 0]")]
    [InlineData("conv2d", "kernel_size", "-2", "kernel_size must be positive integers, got -2")]
    [InlineData("conv2d", "strides", "[1, 2, 3]", "strides must be an integer or a list of two integers [height, width], got [1, 2, 3]")]
    [InlineData("conv2d", "kernel_size", "[3]", "kernel_size must be an integer or a list of two integers [height, width], got [3]")]
    [InlineData("conv2d", "strides", "[1.5, 2]", "strides must be an integer or a list of two integers [height, width], got [1.5, 2]")]
    [InlineData("max_pool2d", "pool_size", "[2, 0]", "pool_size must be positive integers, got [2, 0]")]
    [InlineData("average_pooling2d", "strides", "[0, 1]", "strides must be positive integers, got [0, 1]")]
    [InlineData("max_pool2d", "dilation_rate", "[0, 2]", "dilation_rate must be positive integers, got [0, 2]")]
    [InlineData("average_pooling2d", "dilation_rate", "-1", "dilation_rate must be positive integers, got -1")]
    [InlineData("average_pooling2d", "pool_size", "[2, 2, 2]", "pool_size must be an integer or a list of two integers [height, width], got [2, 2, 2]")]
    public void BadSizesNameTheKeyAndValue(string layer, string key, string value, string message)
    {
        string filters = layer == "conv2d" ? "\"filters\": 2, \"kernel_size\": 3, " : "";
        var config = ComponentConfig.FromJson($"{{\"name\": \"{layer}\", {filters}\"{key}\": {value}}}".Replace("\"kernel_size\": 3, \"kernel_size\"", "\"kernel_size\""));
        var e = Assert.ThrowsAny<ArgumentException>(() => LayerRegistry.Create(config));
        Assert.Contains($"layer '{layer}'", e.Message);
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
