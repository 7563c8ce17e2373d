using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>a · b element-wise, broadcasting.</summary>
    public static Tensor Multiply(this Tensor a, Tensor b)
    {
        var y = TensorMath.Multiply(a, b);
        if (Tape.ShouldRecord(a, b)) Tape.Record(y, "mul", [a, b], new MultiplyGradients());
        return y;
    }

    /// <summary>Each input takes the output gradient times the other input, summed back to its shape when it was broadcast.</summary>
    private readonly struct MultiplyGradients : IBackward
    {
        public void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients)
        {
            for (int i = 0; i < 2; i++)
            {
                if (!inputs[i].RequiresGrad) continue;
                var product = TensorMath.Multiply(g, inputs[1 - i]);
                gradients[i] = TensorMath.SumTo(product, inputs[i].Shape);
                // Summed to a broadcast input's shape, the full-size product is the backward's own temporary.
                if (gradients[i] != product) TensorPool.Recycle(product);
            }
        }
    }
}
