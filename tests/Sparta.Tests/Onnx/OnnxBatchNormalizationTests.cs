using Sparta.Layers;
using Sparta.Models;
using Sparta.Onnx;
using Sparta.Tensors;
using Sparta.Tests.Data;

namespace Sparta.Tests.Onnx;

/// <summary>
/// An imported BatchNormalization node trains as Sparta's own batch normalization does: the batch's
/// statistics in a training pass, its running statistics moved by ONNX's momentum rule; the running
/// statistics at inference and whenever the node is frozen.
/// </summary>
public class OnnxBatchNormalizationTests
{
    private const float Momentum = 0.8f, Epsilon = 1e-3f;

    /// <summary>A native image batch normalization with random γ, β and running statistics, and the same imported from its ONNX export.</summary>
    private static (Model Native, Model Imported) Pair(TempDirectory directory)
    {
        var input = Model.Input([3, 4, 5], "image");
        var native = new Model(input, new BatchNormalization(Momentum, Epsilon, name: "norm").Call(input), "bn", seed: 1);
        var random = new RandomGenerator(2);
        foreach (var tensor in native.Parameters.Select(p => p.Value).Concat(native.State.Select(s => s.Value)))
            random.FillUniform(tensor.Span, 0.5, 1.5);
        string path = directory.File("bn.onnx");
        OnnxExport.Save(native, path);
        return (native, OnnxImport.Load(path));
    }

    private static Tensor Images(ulong seed)
    {
        var x = Tensor.Zeros(6, 3, 4, 5);
        new RandomGenerator(seed).FillUniform(x.Span, -2, 3);
        return x;
    }

    private static float[] Running(Model model) => model.State.SelectMany(s => s.Value.Span.ToArray()).ToArray();

    /// <summary>γ·(x − μ)/√(σ² + ε) + β per channel, in double, with the given statistics.</summary>
    private static double[] Normalized(Tensor x, double[] mean, double[] variance, float[] gamma, float[] beta)
    {
        int channels = x.Shape[1], plane = x.Shape.SizeFrom(2);
        var y = new double[x.Size];
        for (int i = 0; i < x.Size; i++)
        {
            int c = i / plane % channels;
            y[i] = gamma[c] * (x.Span[i] - mean[c]) / Math.Sqrt(variance[c] + Epsilon) + beta[c];
        }
        return y;
    }

    private static (double[] Mean, double[] Variance) BatchStatistics(Tensor x)
    {
        int channels = x.Shape[1], plane = x.Shape.SizeFrom(2), count = x.Shape[0] * plane;
        double[] mean = new double[channels], variance = new double[channels];
        for (int i = 0; i < x.Size; i++) mean[i / plane % channels] += x.Span[i] / (double)count;
        for (int i = 0; i < x.Size; i++) variance[i / plane % channels] += Math.Pow(x.Span[i] - mean[i / plane % channels], 2) / count;
        return (mean, variance);
    }

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void TrainingUsesTheBatchStatisticsAndMovesTheRunningOnes()
    {
        using var directory = new TempDirectory();
        var (native, imported) = Pair(directory);
        var parameters = imported.Parameters.Select(p => p.Value.Span.ToArray()).ToArray(); // γ, β
        var before = Running(imported);
        var x = Images(3);

        var y = imported.Forward(x, training: true);

        var (mean, variance) = BatchStatistics(x);
        AssertClose(Normalized(x, mean, variance, parameters[0], parameters[1]), y.Span.ToArray(), "training output");
        var moved = before[..3].Select((r, c) => Momentum * r + (1 - Momentum) * mean[c])
            .Concat(before[3..].Select((r, c) => Momentum * r + (1 - Momentum) * variance[c])).ToArray();
        AssertClose(moved, Running(imported), "running statistics");
        // Sparta's own layer on the same weights gives the same output and statistics.
        var nativeY = native.Forward(x, training: true);
        AssertClose(nativeY.Span.ToArray().Select(v => (double)v).ToArray(), y.Span.ToArray(), "beside the native layer");
        AssertClose(Running(native).Select(v => (double)v).ToArray(), Running(imported), "native running statistics");

        // Inference then reads the moved statistics.
        var inference = imported.Forward(x);
        var running = Running(imported).Select(v => (double)v).ToArray();
        AssertClose(Normalized(x, running[..3], running[3..], parameters[0], parameters[1]), inference.Span.ToArray(), "inference output");
    }

    [Fact]
    public void AFrozenNodeStaysInInferenceModeInTraining()
    {
        using var directory = new TempDirectory();
        var (_, imported) = Pair(directory);
        imported.Trainable = false;
        var parameters = imported.Parameters.Select(p => p.Value.Span.ToArray()).ToArray();
        var before = Running(imported);
        var x = Images(4);
        var y = imported.Forward(x, training: true);
        var running = before.Select(v => (double)v).ToArray();
        AssertClose(Normalized(x, running[..3], running[3..], parameters[0], parameters[1]), y.Span.ToArray(), "frozen output");
        Assert.Equal(before, Running(imported));
    }
}
