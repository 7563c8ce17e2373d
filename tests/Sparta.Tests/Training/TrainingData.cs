using Sparta.Data;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Tests.Training;

/// <summary>Small generated problems with known answers.</summary>
internal static class TrainingData
{
    /// <summary>Three well-separated Gaussian blobs in 2-D (centres on a circle of radius 4, std 0.5): a linear model can classify them all.</summary>
    public static Dataset Blobs(int count, ulong seed, bool flipLabels = false)
    {
        var random = new RandomGenerator(seed);
        var x = Tensor.Zeros(count, 2);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int c = random.NextInt(3);
            double angle = 2 * Math.PI * c / 3;
            x.Span[2 * i] = (float)random.Normal(4 * Math.Cos(angle), 0.5);
            x.Span[2 * i + 1] = (float)random.Normal(4 * Math.Sin(angle), 0.5);
            labels[i] = flipLabels ? (c + 1) % 3 : c;
        }
        return Dataset.Classification([("input", x)], labels, 3);
    }

    /// <summary>y = 2·x0 − x1 + 0.5 with a little noise.</summary>
    public static Dataset Linear(int count, ulong seed)
    {
        var random = new RandomGenerator(seed);
        var x = Tensor.Zeros(count, 2);
        var y = Tensor.Zeros(count, 1);
        random.FillUniform(x.Span, -1, 1);
        for (int i = 0; i < count; i++)
            y.Span[i] = (float)(2 * x.Span[2 * i] - x.Span[2 * i + 1] + 0.5 + random.Normal(0, 0.01));
        return new Dataset([("input", x)], y);
    }

    public static Model Classifier(ulong seed, bool dropout = false) => new Sequential([2],
        dropout ? [new Dense(16, "relu"), new Dropout(0.25), new Dense(3)] : [new Dense(16, "relu"), new Dense(3)],
        "classifier", seed);

    public static void AssertSameWeights(Model expected, Model actual)
    {
        var a = expected.GetWeights();
        var b = actual.GetWeights();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a) Assert.True(tensor.Span.SequenceEqual(b[name].Span), $"weight '{name}' differs");
    }

    /// <summary>Every History key but the timing (which differs from run to run) holds the same values.</summary>
    public static void AssertSameHistory(Sparta.Training.History expected, Sparta.Training.History actual)
    {
        Assert.Equal(expected.Epochs, actual.Epochs);
        var keys = expected.Keys.Where(k => k != "epoch_seconds").ToArray();
        Assert.Equal(keys, actual.Keys.Where(k => k != "epoch_seconds"));
        foreach (string key in keys) Assert.Equal(expected[key], actual[key]);
    }
}
