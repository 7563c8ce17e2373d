using System.Globalization;
using Sparta.Tensors;

namespace Sparta.Tests.Cli;

/// <summary>Scores computed here, by their formulas, from a model's outputs (ONNX Runtime's), to check the result lines of <c>sparta evaluate</c>.</summary>
internal static class ScoreFormulas
{
    /// <summary>The values of a result line (<c>result test_loss=0.5 ...</c>) by key.</summary>
    public static Dictionary<string, double> Scores(string line) => line.Trim().Split(' ').Skip(1)
        .Select(pair => pair.Split('=')).ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));

    /// <summary>Mean cross-entropy and accuracy of rows of probabilities, or of logits (through a log-sum-exp), against class labels.</summary>
    public static (double Loss, double Accuracy) CrossEntropy(Tensor outputs, float[] labels, bool probabilities)
    {
        int classes = outputs.Shape[1];
        double loss = 0, correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = outputs.Span.Slice(i * classes, classes).ToArray().Select(v => (double)v).ToArray();
            int label = (int)labels[i];
            double max = row.Max();
            loss += probabilities ? -Math.Log(row[label]) : max + Math.Log(row.Sum(v => Math.Exp(v - max))) - row[label];
            if (Array.IndexOf(row, max) == label) correct++;
        }
        return (loss / labels.Length, correct / labels.Length);
    }

    /// <summary>Mean squared and mean absolute error over every value.</summary>
    public static (double Squared, double Absolute) Errors(Tensor outputs, Tensor targets)
    {
        double squared = 0, absolute = 0;
        for (int i = 0; i < outputs.Size; i++)
        {
            double d = outputs.Span[i] - targets.Span[i];
            squared += d * d;
            absolute += Math.Abs(d);
        }
        return (squared / outputs.Size, absolute / outputs.Size);
    }
}
