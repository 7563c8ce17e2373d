namespace Sparta.Kernels;

/// <summary>
/// Cross-entropy computed from logits, fused with its gradient: the mean over rows of
/// −Σ_j t_j·log softmax(x)_j, and d(loss)/dx = (softmax(x)·Σ_j t_j − t) / rows. Working from logits
/// through log-sum-exp never takes the log of a rounded-to-zero probability.
/// </summary>
internal static unsafe class SoftmaxCrossEntropy
{
    /// <summary>
    /// Loss for integer class labels (Keras's sparse categorical cross-entropy, PyTorch's CrossEntropyLoss).
    /// Writes upstream·d(mean loss)/d(logits) into <paramref name="logitsGrad"/> unless it is empty.
    /// </summary>
    public static double Sparse(int rows, int classes, ReadOnlySpan<float> logits, ReadOnlySpan<int> labels,
        Span<float> logitsGrad, float upstream = 1f)
    {
        const string op = "softmax_cross_entropy";
        CheckCommon(op, rows, classes, logits.Length, logitsGrad);
        ConvArguments.Length(op, nameof(labels), labels.Length, rows, "rows");
        for (int r = 0; r < rows; r++)
            if ((uint)labels[r] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"{op}: label {labels[r]} at row {r} is not one of the {classes} classes");
        double total = 0;
        float scale = rows == 0 ? 0f : upstream / rows;
        fixed (float* x = logits, dx = logitsGrad)
        {
            for (long r = 0; r < rows; r++)
            {
                float* row = x + r * classes;
                float* grad = logitsGrad.IsEmpty ? null : dx + r * classes;
                float logSum = SoftmaxRow(row, classes, grad, scale);
                int label = labels[(int)r];
                total += logSum - row[label];
                if (grad != null) grad[label] -= scale;
            }
        }
        return rows == 0 ? 0 : total / rows;
    }

    /// <summary>
    /// Loss for one-hot or soft target rows (Keras's categorical cross-entropy with from_logits=True).
    /// Writes upstream·d(mean loss)/d(logits) into <paramref name="logitsGrad"/> unless it is empty.
    /// </summary>
    public static double Dense(int rows, int classes, ReadOnlySpan<float> logits, ReadOnlySpan<float> targets,
        Span<float> logitsGrad, float upstream = 1f)
    {
        const string op = "softmax_cross_entropy";
        CheckCommon(op, rows, classes, logits.Length, logitsGrad);
        ConvArguments.Length(op, nameof(targets), targets.Length, (long)rows * classes, $"rows x classes = {rows}x{classes}");
        double total = 0;
        float scale = rows == 0 ? 0f : upstream / rows;
        fixed (float* x = logits, t = targets, dx = logitsGrad)
        {
            for (long r = 0; r < rows; r++)
            {
                float* row = x + r * classes, target = t + r * classes;
                float* grad = logitsGrad.IsEmpty ? null : dx + r * classes;
                float mass = 0;
                double dot = 0;
                for (int j = 0; j < classes; j++)
                {
                    mass += target[j];
                    dot += (double)target[j] * row[j];
                }
                float logSum = SoftmaxRow(row, classes, grad, scale * mass);
                total += (double)mass * logSum - dot;
                if (grad != null)
                    for (int j = 0; j < classes; j++) grad[j] -= scale * target[j];
            }
        }
        return rows == 0 ? 0 : total / rows;
    }

    /// <summary>Returns log Σ exp(row); when <paramref name="grad"/> is not null, fills it with factor·softmax(row).</summary>
    private static float SoftmaxRow(float* row, int classes, float* grad, float factor)
    {
        float max = SoftmaxKernel.RowMax(row, classes);
        float sum = SoftmaxKernel.ExpSum(row, max, grad, classes);
        if (grad != null) SoftmaxKernel.Scale(grad, factor / sum, classes);
        return max + MathF.Log(sum);
    }

    private static void CheckCommon(string op, int rows, int classes, int logitsLength, Span<float> logitsGrad)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"{op}: rows must be non-negative, got {rows}");
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), $"{op}: classes must be at least 1, got {classes}");
        ConvArguments.Length(op, "logits", logitsLength, (long)rows * classes, $"rows x classes = {rows}x{classes}");
        if (!logitsGrad.IsEmpty)
            ConvArguments.Length(op, nameof(logitsGrad), logitsGrad.Length, (long)rows * classes, $"rows x classes = {rows}x{classes}");
    }
}
