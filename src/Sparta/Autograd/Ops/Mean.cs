using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>Composite: the mean of all values, sum · (1/n).</summary>
    public static Tensor Mean(this Tensor x) => x.Sum() * (1f / x.Size);

    /// <summary>Composite: the mean over one axis, sum · (1/n).</summary>
    public static Tensor Mean(this Tensor x, int axis, bool keepDims = false)
        => x.Sum(axis, keepDims) * (1f / x.Shape[axis]);
}
