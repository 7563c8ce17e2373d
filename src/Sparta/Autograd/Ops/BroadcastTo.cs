using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>x repeated along broadcast dimensions up to <paramref name="shape"/> (expand).</summary>
    public static Tensor BroadcastTo(this Tensor x, Shape shape)
    {
        var y = TensorMath.BroadcastTo(x, shape);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "broadcast_to", [x], g => [TensorMath.SumTo(g, x.Shape)]);
        return y;
    }
}
