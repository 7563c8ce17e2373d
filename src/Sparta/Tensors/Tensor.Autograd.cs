using Sparta.Autograd;

namespace Sparta.Tensors;

// The tensor's side of the tape, as in PyTorch: parameters are leaves with RequiresGrad set; a
// result of an op on them remembers how it was made (its TapeNode) and so requires grad too.
public sealed partial class Tensor
{
    private bool _requiresGrad;

    /// <summary>
    /// Whether gradients flow to this tensor. Set it on parameters (leaves); results of ops on such
    /// tensors report true by themselves.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad || Node is not null;
        set
        {
            if (Node is not null)
                throw new InvalidOperationException($"requires_grad: tensor of shape {Shape} is the result of '{Node.Op}'; only leaves can be marked");
            _requiresGrad = value;
        }
    }

    /// <summary>The accumulated gradient of a leaf after Backward; null until the first one.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>How this tensor was computed, or null for a leaf (inputs, parameters, constants).</summary>
    internal TapeNode? Node { get; set; }

    public bool IsLeaf => Node is null;

    /// <summary>
    /// Backpropagates from this tensor: from 1 when it holds one value, else from <paramref name="outputGradient"/>.
    /// <paramref name="retainGraph"/> false frees the graph as backward walks it (see <see cref="Tape.Backward"/>).
    /// </summary>
    public void Backward(Tensor? outputGradient = null, bool retainGraph = true) => Tape.Backward(this, outputGradient, retainGraph);

    /// <summary>Clears the accumulated gradient (keeps its buffer for the next step); a large one on the kernels' threads.</summary>
    public void ZeroGrad()
    {
        if (Grad is not null) Kernels.Elementwise.Clear(Grad.Span);
    }

    /// <summary>The same values, cut from the tape: gradients do not flow through the result.</summary>
    public Tensor Detach() => View(Shape);
}
