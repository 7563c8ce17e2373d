using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Initializers;

/// <summary>
/// Layer-sequential unit-variance initialization (Mishkin and Matas 2016, Algorithm 1), a
/// data-dependent step run after building: start every layer's weights orthonormal, then, layer by
/// layer from the input, run a batch and divide the weights by the standard deviation of the
/// layer's output until |Var − 1| &lt; tolerance or the trials run out.
/// </summary>
public static class Lsuv
{
    /// <param name="weights">Each layer's weight tensor, input side first (biases stay as they are).</param>
    /// <param name="outputOf">Runs the same batch through the network up to layer i and returns that
    /// layer's output (the paper takes the convolution or dense output, before the activation).</param>
    /// <param name="random">Stream for the orthonormal start.</param>
    /// <param name="tolerance">Stop once |Var − 1| is below this (the paper: 0.1).</param>
    /// <param name="maxTrials">Forward passes per layer at most (the paper: 10).</param>
    /// <param name="orthonormalStart">False keeps the current weights (e.g. another initializer's) as the start.</param>
    public static IReadOnlyList<LsuvLayerResult> Initialize(IReadOnlyList<Tensor> weights, Func<int, Tensor> outputOf,
        RandomGenerator random, double tolerance = 0.1, int maxTrials = 10, bool orthonormalStart = true)
    {
        Check.Positive(tolerance, "tolerance", "lsuv");
        Check.AtLeast(maxTrials, 1, "max_trials", "lsuv");
        if (orthonormalStart)
        {
            var orthogonal = new Orthogonal();
            foreach (var w in weights) orthogonal.Initialize(w, random);
        }
        var results = new List<LsuvLayerResult>(weights.Count);
        for (int layer = 0; layer < weights.Count; layer++)
        {
            double variance = Variance(outputOf(layer).Span);
            int trials = 1;
            while (Math.Abs(variance - 1) >= tolerance && trials < maxTrials)
            {
                if (!(variance > 0) || !double.IsFinite(variance))
                    throw new InvalidOperationException($"lsuv: layer {layer} output variance is {variance}; cannot rescale its weights to unit variance");
                float scale = (float)(1 / Math.Sqrt(variance));
                var w = weights[layer].Span;
                for (int i = 0; i < w.Length; i++) w[i] *= scale;
                variance = Variance(outputOf(layer).Span);
                trials++;
            }
            results.Add(new LsuvLayerResult(layer, trials, variance));
        }
        return results;
    }

    /// <summary>Population variance, two-pass in double for accuracy.</summary>
    internal static double Variance(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) throw new ArgumentException("lsuv: a layer returned an empty output");
        double mean = 0;
        foreach (float v in values) mean += v;
        mean /= values.Length;
        double sum = 0;
        foreach (float v in values) sum += (v - mean) * (v - mean);
        return sum / values.Length;
    }
}

/// <summary>One layer's outcome: forward passes used and the output variance reached.</summary>
public sealed record LsuvLayerResult(int Layer, int Trials, double Variance);
