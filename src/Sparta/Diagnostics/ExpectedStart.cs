namespace Sparta.Diagnostics;

/// <summary>
/// What the softmax cross-entropy of an untrained classifier should be, from its own outputs: with
/// labels unrelated to the logits z of an example, its expected loss is LSE(z) − Σₖ πₖ zₖ, where
/// LSE(z) = ln Σₖ e^zₖ and πₖ is the frequency of class k among the labels. Equal logits give ln C;
/// logits spread with std s across classes give about ln C + s²/2 (second-order expansion of LSE).
/// </summary>
/// <param name="Loss">The mean expected loss over the batch.</param>
/// <param name="StandardError">Standard error of the measured loss around it (from the per-example differences between the label's logit and the weighted mean).</param>
/// <param name="Spread">Root of the mean over examples of the logits' variance across classes.</param>
public sealed record ExpectedStart(double Loss, double StandardError, double Spread)
{
    /// <param name="outputs">Rows of <paramref name="classes"/> logits, or probabilities when <paramref name="probabilities"/> (their logarithms are then the logits).</param>
    public static ExpectedStart Of(ReadOnlySpan<float> outputs, int[] labels, int classes, bool probabilities = false)
    {
        int n = labels.Length;
        if (n == 0 || outputs.Length != n * classes)
            throw new ArgumentException($"expected start: {outputs.Length} outputs for {n} labels of {classes} classes");
        var frequency = new double[classes];
        foreach (int label in labels) frequency[label] += 1.0 / n;
        var z = new double[classes];
        double expected = 0, variance = 0, gapSum = 0, gapSquares = 0;
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < classes; k++)
            {
                double v = outputs[i * classes + k];
                z[k] = probabilities ? Math.Log(Math.Clamp(v, 1e-7, 1)) : v;
            }
            double max = z.Max(), sum = 0, weighted = 0, mean = z.Average(), spread = 0;
            for (int k = 0; k < classes; k++)
            {
                sum += Math.Exp(z[k] - max);
                weighted += frequency[k] * z[k];
                spread += (z[k] - mean) * (z[k] - mean);
            }
            expected += max + Math.Log(sum) - weighted;
            variance += spread / classes;
            // The measured loss of this example minus its expectation.
            double gap = weighted - z[labels[i]];
            gapSum += gap;
            gapSquares += gap * gap;
        }
        double gapMean = gapSum / n;
        double gapVariance = Math.Max(0, gapSquares / n - gapMean * gapMean);
        return new ExpectedStart(expected / n, Math.Sqrt(gapVariance / n), Math.Sqrt(variance / n));
    }
}
