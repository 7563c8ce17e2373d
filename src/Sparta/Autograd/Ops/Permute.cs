using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>Reorders the axes: output axis i is input axis axes[i]. The gradient takes the inverse permutation.</summary>
    public static Tensor Permute(this Tensor x, params int[] axes)
    {
        var y = TensorMath.Permute(x, axes);
        if (Tape.ShouldRecord(x))
        {
            var inverse = new int[axes.Length];
            for (int i = 0; i < axes.Length; i++) inverse[x.Shape.Axis(axes[i])] = i;
            Tape.Record(y, "permute", [x], g => [TensorMath.Permute(g, inverse)]);
        }
        return y;
    }

    /// <summary>The transpose of a 2-D tensor.</summary>
    public static Tensor Transpose(this Tensor x)
    {
        if (x.Rank != 2) throw new ArgumentException($"transpose: expected a 2-D tensor, got shape {x.Shape}");
        return x.Permute(1, 0);
    }
}
