using Sparta.Tensors;

namespace Sparta.Autograd;

/// <summary>
/// An op's backward as a struct: what the op saved for it in fields (an axis, a window, its output), and the
/// gradients of the node's inputs from the output gradient. Recorded with <see cref="Tape.Record{TBackward}"/>, it
/// lives in a node kept per thread (<see cref="BackwardNode{TBackward}"/>), so the op allocates no closure, node or
/// arrays after the first steps.
/// </summary>
internal interface IBackward
{
    /// <summary>Fills <paramref name="gradients"/> (cleared, one per input) from the output gradient <paramref name="g"/>.</summary>
    void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients);
}

/// <summary>The kept node of every op whose backward is a <typeparamref name="TBackward"/>.</summary>
internal sealed class BackwardNode<TBackward> : RecycledNode<BackwardNode<TBackward>> where TBackward : struct, IBackward
{
    public TBackward Body;

    public override Tensor?[] Backward(Tensor g)
    {
        var gradients = Gradients();
        Body.Run(Inputs, g, gradients);
        return gradients;
    }

    protected override void Forget() => Body = default; // it may hold tensors
}
