using Sparta.Tensors;

namespace Sparta.Autograd;

/// <summary>
/// Maps the gradient of an op's output to the gradients of its inputs, in input order; an entry
/// may be null when that input does not require grad (skipping the work).
/// </summary>
public delegate Tensor?[] BackwardFunction(Tensor outputGradient);

/// <summary>One recorded op: its name (for error messages), its inputs and its backward function.</summary>
internal abstract class TapeNode
{
    public string Op { get; private protected set; } = "";

    public Tensor[] Inputs { get; private protected set; } = [];

    /// <summary>One gradient per input (null for an input that takes none); the array may be the node's own, read before <see cref="Release"/>.</summary>
    public abstract Tensor?[] Backward(Tensor outputGradient);

    /// <summary>Called by a backward pass that frees the graph once it is done with the node: nothing refers to it any more.</summary>
    public virtual void Release()
    {
    }
}

/// <summary>A node whose backward is a closure the op made (<see cref="Tape.Record"/>).</summary>
internal sealed class ClosureNode : TapeNode
{
    private readonly BackwardFunction _backward;

    public ClosureNode(string op, Tensor[] inputs, BackwardFunction backward)
    {
        Op = op;
        Inputs = inputs;
        _backward = backward;
    }

    public override Tensor?[] Backward(Tensor outputGradient) => _backward(outputGradient);
}

/// <summary>
/// A node kept per thread once a backward pass that frees the graph has released it, and taken again by the
/// next op of its kind: an op recorded every training step (dense, convolution, pooling, the loss) then
/// allocates no node, inputs array, gradients array or closure after the first steps. A subclass holds what
/// its backward needs in fields, set by the op after <see cref="Record"/>, and clears them in <see cref="Forget"/>.
/// Nodes are kept apart by what they were made to hold (their inputs' count, a batch normalization's channels): a
/// branching network's backward gives them back in another order than its forward takes them, and a node that served
/// an op of another size would make its arrays again, the second step then allocating what the first did not give back.
/// </summary>
internal abstract class RecycledNode<TNode> : TapeNode where TNode : RecycledNode<TNode>, new()
{
    /// <summary>More nodes of one kind than a step of a large network records; beyond it they go to the collector.</summary>
    private const int KeptPerKind = 1024;

    /// <summary>The thread's kept nodes of this kind, by the size they were made for.</summary>
    [ThreadStatic] private static Dictionary<int, Stack<TNode>>? _kept;

    private Tensor?[] _gradients = [];

    /// <summary>The size this node was made for: it goes back among the nodes of that size.</summary>
    private int _size;

    /// <summary>A node of this kind for an op on these inputs, recorded on <paramref name="output"/>.</summary>
    public static TNode Record(Tensor output, string op, ReadOnlySpan<Tensor> inputs)
    {
        var node = Kept(inputs.Length);
        node.RecordOn(output, op, inputs);
        return node;
    }

    /// <summary>
    /// A node of this kind, kept or new, made for <paramref name="size"/> (the op's inputs' count, or a key the op makes of
    /// that and the size of its own arrays), not recorded yet: for an op that fills its arrays before recording it.
    /// </summary>
    protected static TNode Kept(int size)
    {
        if (_kept is { } kept && kept.TryGetValue(size, out var nodes) && nodes.TryPop(out var node)) return node;
        var made = new TNode();
        ((RecycledNode<TNode>)made)._size = size;
        return made;
    }

    /// <summary>Records this node (from <see cref="Kept"/>) for an op on these inputs, on <paramref name="output"/>.</summary>
    public void RecordOn(Tensor output, string op, ReadOnlySpan<Tensor> inputs)
    {
        if (Inputs.Length != inputs.Length)
        {
            Inputs = new Tensor[inputs.Length];
            _gradients = new Tensor?[inputs.Length];
        }
        inputs.CopyTo(Inputs);
        Op = op;
        output.Node = this;
    }

    /// <summary>The node's gradients array, emptied, for its backward to fill.</summary>
    protected Tensor?[] Gradients()
    {
        Array.Clear(_gradients);
        return _gradients;
    }

    public sealed override void Release()
    {
        Array.Clear(Inputs);
        Array.Clear(_gradients);
        Forget();
        var kept = _kept ??= [];
        if (!kept.TryGetValue(_size, out var nodes)) kept[_size] = nodes = new Stack<TNode>();
        if (nodes.Count < KeptPerKind) nodes.Push((TNode)this);
    }

    /// <summary>Drops the tensors the subclass's fields hold, so a kept node keeps none alive.</summary>
    protected abstract void Forget();
}
