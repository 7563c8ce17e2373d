using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>Joins tensors along an axis; each input's gradient is its slab of the output's.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis)
    {
        var y = TensorMath.Concat(tensors, axis);
        if (Tape.ShouldRecord(tensors))
        {
            var inputs = tensors.ToArray();
            Tape.Record(y, "concat", inputs, g =>
            {
                var gradients = new Tensor?[inputs.Length];
                for (int i = 0, start = 0; i < inputs.Length; start += inputs[i].Shape[axis], i++)
                    if (inputs[i].RequiresGrad) gradients[i] = TensorMath.Narrow(g, axis, start, inputs[i].Shape[axis]);
                return gradients;
            });
        }
        return y;
    }
}
