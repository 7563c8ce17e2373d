using Sparta.Activations;
using Sparta.Autograd;
using Sparta.Layers;
using Sparta.Kernels;
using Sparta.Tensors;
using Conv2D = Sparta.Layers.Conv2D;

namespace Sparta.Tests.Layers;

/// <summary>The fused dense and convolution+activation ops against the composition of primitive ops they replace.</summary>
public class FusedOpTests
{
    private static readonly string[] FusedActivations = ["linear", "relu", "leaky_relu", "sigmoid", "tanh"];

    public static TheoryData<string> Activations => new(FusedActivations);

    private static Tensor Random(ulong seed, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        new RandomGenerator(seed).FillUniform(t.Span, -1, 1);
        return t;
    }

    private static void Close(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (int i = 0; i < expected.Size; i++)
            Assert.True(Math.Abs(expected.Span[i] - actual.Span[i]) <= 1e-5f * Math.Max(1, Math.Abs(expected.Span[i])),
                $"{what}[{i}]: composed {expected.Span[i]}, fused {actual.Span[i]}");
    }

    public static TheoryData<string, bool> ActivationsAndKernelLayouts()
    {
        var data = new TheoryData<string, bool>();
        foreach (string name in FusedActivations)
            foreach (bool transposed in new[] { false, true }) data.Add(name, transposed);
        return data;
    }

    /// <param name="transposed">The kernel stored as (units, features), as an imported Gemm with transB keeps PyTorch's Linear weight.</param>
    [Theory, MemberData(nameof(ActivationsAndKernelLayouts))]
    public void DenseMatchesMatMulPlusBiasThenActivation(string name, bool transposed)
    {
        var activation = ActivationRegistry.Create(name);
        var x = Random(1, 7, 19);
        var (w, b) = (transposed ? Random(2, 21, 19) : Random(2, 19, 21), Random(3, 21));
        var (x2, w2, b2) = (x.Clone(), w.Clone(), b.Clone());
        foreach (var t in new[] { x, w, b, x2, w2, b2 }) t.RequiresGrad = true;
        var g = Random(4, 7, 21);

        var fused = FusedDense.Apply(x, w, b, activation.FusedKind!.Value, activation.FusedAlpha, kernelTransposed: transposed);
        var composed = activation.Apply(x2.MatMul(w2, transposeB: transposed) + b2);
        Close(composed, fused, "output");
        fused.Backward(g);
        composed.Backward(g);
        Close(x2.Grad!, x.Grad!, "dx");
        Close(w2.Grad!, w.Grad!, "dW");
        Close(b2.Grad!, b.Grad!, "db");
    }

    [Fact]
    public void DenseSpendsNoGradientOnAnInputThatDoesNotRequireIt()
    {
        var x = Random(1, 4, 5);
        var w = Random(2, 5, 3);
        w.RequiresGrad = true;
        FusedDense.Apply(x, w, null, BiasActivationKind.Relu, 0).Sum().Backward();
        Assert.Null(x.Grad);
        Assert.NotNull(w.Grad);
        using (Tape.NoGrad()) Assert.True(FusedDense.Apply(x, w, null, BiasActivationKind.Relu, 0).IsLeaf);
    }

    [Theory, MemberData(nameof(Activations))]
    public void ConvolutionWithFusedActivationMatchesConvolutionThenActivation(string name)
    {
        var activation = ActivationRegistry.Create(name);
        var x = Random(5, 2, 3, 7, 6);
        var (w, b) = (Random(6, 4, 3, 3, 2), Random(7, 4));
        var (x2, w2, b2) = (x.Clone(), w.Clone(), b.Clone());
        foreach (var t in new[] { x, w, b, x2, w2, b2 }) t.RequiresGrad = true;
        var fused = x.Conv2D(w, b, (2, 1), ConvPadding.Same, activation.FusedKind!.Value, activation.FusedAlpha);
        var composed = activation.Apply(x2.Conv2D(w2, b2, (2, 1), ConvPadding.Same));
        Close(composed, fused, "output");
        var g = Random(8, fused.Shape.ToArray());
        fused.Backward(g);
        composed.Backward(g);
        Close(x2.Grad!, x.Grad!, "dx");
        Close(w2.Grad!, w.Grad!, "dW");
        Close(b2.Grad!, b.Grad!, "db");
    }

    [Fact]
    public void ConvolutionLayerRunsItsActivationFused()
    {
        var layer = new Conv2D(2, 3, "relu");
        var x = Random(9, 1, 1, 5, 5);
        x.RequiresGrad = true;
        var y = layer.Call(x);
        // The unfused path would leave the convolution as y's producer and a relu after it.
        Assert.Equal("conv2d_bias_activation", y.Node!.Op);
    }
}
