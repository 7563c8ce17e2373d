using Sparta.Autograd;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Tests.Autograd;

/// <summary>The conv2d op when only some inputs need a gradient (a first layer's images, frozen weights).</summary>
public class Conv2DOpTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void EachGradientIsTheSameWhateverElseIsAskedFor(bool inputGrad, bool weightGrad)
    {
        var (full, _) = Run(true, true);
        var (partial, asked) = Run(inputGrad, weightGrad);
        for (int i = 0; i < 3; i++)
        {
            if (!asked[i]) { Assert.Null(partial[i]); continue; }
            Assert.Equal(full[i], partial[i]);
        }
    }

    private static (float[]?[] Gradients, bool[] Asked) Run(bool inputGrad, bool weightGrad)
    {
        var random = new RandomGenerator(4);
        var x = Tensor.Zeros(2, 3, 5, 6); random.FillNormal(x.Span, 0, 1);
        var w = Tensor.Zeros(4, 3, 3, 3); random.FillNormal(w.Span, 0, 0.3);
        var b = Tensor.Zeros(4); random.FillNormal(b.Span, 0, 0.1);
        x.RequiresGrad = inputGrad;
        w.RequiresGrad = b.RequiresGrad = weightGrad;
        var y = x.Conv2D(w, b, 1, ConvPadding.Same);
        var upstream = Tensor.Zeros(y.Shape); random.FillNormal(upstream.Span, 0, 1);
        y.Backward(upstream);
        return ([x.Grad?.ToArray(), w.Grad?.ToArray(), b.Grad?.ToArray()], [inputGrad, weightGrad, weightGrad]);
    }
}
