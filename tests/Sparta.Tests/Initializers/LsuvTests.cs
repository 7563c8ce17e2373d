using Sparta.Initializers;
using Sparta.Tensors;

namespace Sparta.Tests.Initializers;

public class LsuvTests
{
    /// <summary>A three-layer tanh network on badly scaled inputs: every pre-activation reaches unit variance.</summary>
    [Fact]
    public void EveryLayerOutputReachesUnitVariance()
    {
        var random = new RandomGenerator(21);
        int batch = 128;
        int[] widths = [20, 16, 12, 8];
        var input = new float[batch * widths[0]];
        for (int i = 0; i < input.Length; i++) input[i] = (float)random.Normal(0, 7);
        var weights = Enumerable.Range(0, 3).Select(l => Tensor.Zeros(widths[l], widths[l + 1])).ToArray();

        Tensor OutputOf(int layer)
        {
            float[] x = input;
            Tensor output = Tensor.Zeros(0);
            for (int l = 0; l <= layer; l++)
            {
                output = Tensor.Zeros(batch, widths[l + 1]);
                var w = weights[l].Span;
                for (int n = 0; n < batch; n++)
                    for (int o = 0; o < widths[l + 1]; o++)
                    {
                        double sum = 0;
                        for (int i = 0; i < widths[l]; i++) sum += x[n * widths[l] + i] * w[i * widths[l + 1] + o];
                        output.Span[n * widths[l + 1] + o] = (float)sum;
                    }
                x = output.ToArray().Select(v => MathF.Tanh(v)).ToArray();
            }
            return output;
        }

        var results = Lsuv.Initialize(weights, OutputOf, random.Fork("lsuv"), tolerance: 0.05, maxTrials: 20);
        Assert.Equal(3, results.Count);
        for (int layer = 0; layer < 3; layer++)
        {
            double measured = Lsuv.Variance(OutputOf(layer).Span);
            Assert.True(Math.Abs(measured - 1) < 0.05, $"layer {layer}: variance {measured} after {results[layer].Trials} trials");
            Assert.Equal(measured, results[layer].Variance, 10);
        }
        Assert.True(results[0].Trials > 1, "the badly scaled input must have needed a rescale");
    }

    [Fact]
    public void StopsAtTheTrialLimit()
    {
        // The output ignores the weights, so the variance never changes.
        var weights = new[] { Tensor.Full(1f, 2, 2) };
        var constantOutput = Tensor.FromArray([0f, 4f, 0f, 4f], 4);
        var results = Lsuv.Initialize(weights, _ => constantOutput, new RandomGenerator(1), maxTrials: 3, orthonormalStart: false);
        Assert.Equal(3, results[0].Trials);
        Assert.Equal(4.0, results[0].Variance);
    }

    [Fact]
    public void DeadLayerIsAnErrorNamingTheLayer()
    {
        var weights = new[] { Tensor.Full(1f, 2, 2) };
        var e = Assert.Throws<InvalidOperationException>(() =>
            Lsuv.Initialize(weights, _ => Tensor.Zeros(8), new RandomGenerator(1)));
        Assert.Contains("layer 0", e.Message);
    }
}
