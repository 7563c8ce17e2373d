using Sparta.Tensors;

namespace Sparta.Metrics;

/// <summary>
/// Turns classifier outputs and targets into class labels. Predictions are [N, C, ...] scores with
/// the class on axis 1 (channel-first, so [N, C] for a classifier and [N, C, H, W] for a
/// segmentation): the label is the arg-max (the first on ties). A single score per position
/// ([N] or [N, 1, ...]) is binary: class 1 when it exceeds the threshold. Targets are either class
/// indices ([N] or [N, 1] or [N, H, W]) or one-hot of the predictions' shape.
/// </summary>
internal static class ClassLabels
{
    /// <summary>Number of classes a prediction tensor scores (2 for a single binary score).</summary>
    public static int ClassCount(Tensor yPred) => yPred.Rank >= 2 && yPred.Shape[1] > 1 ? yPred.Shape[1] : 2;

    /// <summary>Positions classified: N times the spatial size.</summary>
    public static int Positions(Tensor yPred) => yPred.Rank >= 2 ? yPred.Size / yPred.Shape[1] : yPred.Size;

    public static void Predicted(Tensor yPred, double threshold, Span<int> labels)
    {
        var scores = yPred.Span;
        if (yPred.Rank < 2 || yPred.Shape[1] == 1)
        {
            for (int i = 0; i < scores.Length; i++) labels[i] = scores[i] > threshold ? 1 : 0;
            return;
        }
        ArgMax(scores, yPred.Shape[0], yPred.Shape[1], yPred.Shape.SizeFrom(2), labels);
    }

    public static void Targets(string metric, Tensor yTrue, Tensor yPred, int classes, Span<int> labels)
    {
        int positions = labels.Length;
        var values = yTrue.Span;
        if (yTrue.Shape == yPred.Shape && yPred.Rank >= 2 && yPred.Shape[1] > 1)
        {
            ArgMax(values, yPred.Shape[0], yPred.Shape[1], yPred.Shape.SizeFrom(2), labels);
            return;
        }
        if (yTrue.Size != positions)
            throw new ArgumentException($"metric '{metric}': y_true shape {yTrue.Shape} is neither class indices for {positions} positions nor one-hot like y_pred {yPred.Shape}");
        for (int i = 0; i < positions; i++)
        {
            float v = values[i];
            int label = (int)v;
            if (label != v || label < 0 || label >= classes)
                throw new ArgumentException($"metric '{metric}': y_true[{i}] = {v} is not a class index in [0, {classes})");
            labels[i] = label;
        }
    }

    private static void ArgMax(ReadOnlySpan<float> scores, int batch, int classes, int spatial, Span<int> labels)
    {
        for (int n = 0; n < batch; n++)
        {
            var sample = scores.Slice(n * classes * spatial, classes * spatial);
            for (int p = 0; p < spatial; p++)
            {
                int best = 0;
                float bestScore = sample[p];
                for (int c = 1; c < classes; c++)
                    if (sample[c * spatial + p] > bestScore)
                    {
                        bestScore = sample[c * spatial + p];
                        best = c;
                    }
                labels[n * spatial + p] = best;
            }
        }
    }
}
