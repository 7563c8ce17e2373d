using Sparta.Diagnostics;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Tests.Diagnostics;

public class LayerOutputsTests
{
    /// <summary>a (3) → left: dense 4 tanh; b (2) → right: dense 3 relu; [left, right] → joined → out: dense 2 sigmoid.</summary>
    private static Model TwoInputs()
    {
        var a = Model.Input([3], "a");
        var b = Model.Input([2], "b");
        var left = new Dense(4, "tanh", name: "left").Call(a);
        var right = new Dense(3, "relu", name: "right").Call(b);
        var joined = new Concatenate(name: "joined").Call(left, right);
        return new Model([a, b], new Dense(2, "sigmoid", name: "out").Call(joined), "two", seed: 7);
    }

    /// <summary>act(x·W + b) for row-major x (n × in) and W (in × out), in double.</summary>
    private static double[] Dense(float[] x, int n, float[] w, float[] bias, Func<double, double> act)
    {
        int inputs = x.Length / n, outputs = bias.Length;
        var y = new double[n * outputs];
        for (int s = 0; s < n; s++)
            for (int j = 0; j < outputs; j++)
            {
                double sum = bias[j];
                for (int k = 0; k < inputs; k++) sum += x[s * inputs + k] * w[k * outputs + j];
                y[s * outputs + j] = act(sum);
            }
        return y;
    }

    [Fact]
    public void AGraphModelsLayersAreSummarizedInForwardOrder()
    {
        const int n = 16;
        var model = TwoInputs();
        var random = new RandomGenerator(3);
        var a = Tensor.Zeros(n, 3);
        var b = Tensor.Zeros(n, 2);
        random.FillNormal(a.Span, 0, 2);
        random.FillNormal(b.Span, 0, 1);
        // A large bias on one right unit keeps it below zero for every example: one dead unit out of 3.
        model.GetLayer("right").Parameters.Single(p => p.Name == "right/bias").Value.Span[1] = -100;

        var w = model.GetWeights().ToDictionary(p => p.Key, p => p.Value.ToArray());
        var left = Dense(a.ToArray(), n, w["left/kernel"], w["left/bias"], Math.Tanh);
        var right = Dense(b.ToArray(), n, w["right/kernel"], w["right/bias"], v => Math.Max(0, v));
        var joined = new double[n * 7];
        for (int s = 0; s < n; s++)
            for (int j = 0; j < 7; j++) joined[s * 7 + j] = j < 4 ? left[s * 4 + j] : right[s * 3 + j - 4];
        var output = Dense(joined.Select(v => (float)v).ToArray(), n, w["out/kernel"], w["out/bias"], v => 1 / (1 + Math.Exp(-v)));

        var monitor = new ActivationMonitor(new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b });
        var inspection = monitor.Inspect(model, epoch: 0);

        Assert.Equal(["left", "right", "joined", "out"], inspection.Layers.Select(l => l.Layer));
        Assert.Equal(["tanh", "relu", "linear", "sigmoid"], inspection.Layers.Select(l => l.Activation));
        foreach (var (name, values, units) in new[] { ("left", left, 4), ("right", right, 3), ("joined", joined, 7), ("out", output, 2) })
        {
            var stats = inspection[name];
            double mean = values.Average();
            Assert.Equal(mean, stats.Mean, 1e-5);
            Assert.Equal(Math.Sqrt(values.Average(v => (v - mean) * (v - mean))), stats.Std, 1e-5);
            double saturated = name switch
            {
                "left" => values.Count(v => Math.Abs(v) > 0.99),
                "out" => values.Count(v => v < 0.01 || v > 0.99),
                _ => 0,
            } / (double)values.Length;
            Assert.Equal(saturated, stats.Saturated, 1e-9);
            int dead = name == "right" ? Enumerable.Range(0, units).Count(j => Enumerable.Range(0, n).All(s => values[s * units + j] <= 0)) : 0;
            Assert.Equal(dead / (double)units, stats.Dead, 12);
        }
        Assert.True(inspection["right"].Dead >= 1.0 / 3, "the unit with bias −100 is dead");
    }

    [Fact]
    public void AMissingInputIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => LayerOutputs.Of(TwoInputs(), new Dictionary<string, Tensor> { ["a"] = Tensor.Zeros(2, 3) }));
        Assert.Contains("'b'", e.Message);
        Assert.Contains("2 inputs", Assert.Throws<ArgumentException>(() => LayerOutputs.Of(TwoInputs(), Tensor.Zeros(2, 3))).Message);
    }
}
