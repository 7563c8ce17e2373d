using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Rows of x picked by index (index_select on axis 0, an embedding lookup). A row picked twice
    /// receives both gradients.
    /// </summary>
    public static Tensor GatherRows(this Tensor x, int[] indices)
    {
        var y = TensorMath.GatherRows(x, indices);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "gather_rows", [x], g => [TensorMath.ScatterAddRows(g, indices, x.Shape)]);
        return y;
    }
}
