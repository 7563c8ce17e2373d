using Sparta.Activations;
using Sparta.Autograd;
using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Tests.Layers;

/// <summary>The fused dense and in-place activation ops against the composition of primitive ops they replace.</summary>
public class FusedOpTests
{
    public static TheoryData<string> Activations => new("linear", "relu", "leaky_relu", "sigmoid", "tanh");

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

    [Theory, MemberData(nameof(Activations))]
    public void DenseMatchesMatMulPlusBiasThenActivation(string name)
    {
        var activation = ActivationRegistry.Create(name);
        var x = Random(1, 7, 19);
        var (w, b) = (Random(2, 19, 21), Random(3, 21));
        var (x2, w2, b2) = (x.Clone(), w.Clone(), b.Clone());
        foreach (var t in new[] { x, w, b, x2, w2, b2 }) t.RequiresGrad = true;
        var g = Random(4, 7, 21);

        var fused = FusedDense.Apply(x, w, b, activation.FusedKind!.Value, activation.FusedAlpha);
        var composed = activation.Apply(x2.MatMul(w2) + b2);
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
        FusedDense.Apply(x, w, null, Sparta.Kernels.BiasActivationKind.Relu, 0).Sum().Backward();
        Assert.Null(x.Grad);
        Assert.NotNull(w.Grad);
        using (Tape.NoGrad()) Assert.True(FusedDense.Apply(x, w, null, Sparta.Kernels.BiasActivationKind.Relu, 0).IsLeaf);
    }

    [Theory, MemberData(nameof(Activations))]
    public void InPlaceActivationMatchesTheActivationOp(string name)
    {
        var activation = ActivationRegistry.Create(name);
        var x = Random(5, 2, 3, 4, 5);
        var x2 = x.Clone();
        x.RequiresGrad = x2.RequiresGrad = true;
        var g = Random(6, 2, 3, 4, 5);
        var fused = FusedActivation.InPlace(x * 1f, activation.FusedKind!.Value, activation.FusedAlpha);
        var composed = activation.Apply(x2 * 1f);
        Close(composed, fused, "output");
        fused.Backward(g);
        composed.Backward(g);
        Close(x2.Grad!, x.Grad!, "dx");
    }
}
