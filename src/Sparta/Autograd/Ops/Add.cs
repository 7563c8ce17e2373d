using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>a + b, broadcasting. A broadcast input receives its gradient summed back to its shape.</summary>
    public static Tensor Add(this Tensor a, Tensor b)
    {
        var y = TensorMath.Add(a, b);
        if (Tape.ShouldRecord(a, b)) Tape.Record(y, "add", [a, b], new AddGradients());
        return y;
    }

    /// <summary>Each input takes the output gradient, summed back to its shape when it was broadcast.</summary>
    private readonly struct AddGradients : IBackward
    {
        public void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients)
        {
            for (int i = 0; i < inputs.Length; i++)
                if (inputs[i].RequiresGrad) gradients[i] = TensorMath.SumTo(g, inputs[i].Shape);
        }
    }
}
