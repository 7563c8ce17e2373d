using Sparta.Tensors;

namespace Sparta.Autograd;

/// <summary>
/// The collections a backward walk fills, kept on the thread between walks: the trainer's backward,
/// one a step, then allocates none of them again. A walk started inside another on the same thread
/// (a backward function that itself backpropagates) finds none kept and makes its own.
/// </summary>
internal sealed class WalkScratch
{
    [ThreadStatic] private static WalkScratch? _kept;

    public readonly Dictionary<Tensor, Tensor> Pending = new(ReferenceEqualityComparer.Instance);
    public readonly List<Tensor> Order = [];
    public readonly HashSet<Tensor> Visited = new(ReferenceEqualityComparer.Instance);
    public readonly Stack<(Tensor Tensor, bool Expanded)> Stack = new();
    public readonly List<Tensor> Spent = [];
    public readonly BackwardBuffers Buffers = new();

    /// <summary>The thread's kept collections, empty, or new ones when a walk holds them.</summary>
    public static WalkScratch Take()
    {
        var scratch = _kept ?? new WalkScratch();
        _kept = null;
        return scratch;
    }

    /// <summary>Empties the collections (no tensor stays reachable through them) and keeps them for the thread's next walk.</summary>
    public void GiveBack()
    {
        Pending.Clear();
        Order.Clear();
        Visited.Clear();
        Stack.Clear();
        Spent.Clear();
        Buffers.End();
        _kept = this;
    }
}
