using System.Runtime.InteropServices;
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
            // A model passes its layers' inputs in an array it keeps: recorded from it, no copy is made.
            ReadOnlySpan<Tensor> inputs = tensors switch
            {
                Tensor[] array => array,
                List<Tensor> list => CollectionsMarshal.AsSpan(list),
                _ => tensors.ToArray(),
            };
            Tape.Record(y, "concat", inputs, new ConcatGradients(axis));
        }
        return y;
    }

    private readonly struct ConcatGradients(int axis) : IBackward
    {
        public void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients)
        {
            for (int i = 0, start = 0; i < inputs.Length; start += inputs[i].Shape[axis], i++)
                if (inputs[i].RequiresGrad) gradients[i] = TensorMath.Narrow(g, axis, start, inputs[i].Shape[axis]);
        }
    }
}
