using Sparta.Tensors;

namespace Sparta.Autograd;

/// <summary>
/// What a backward pass that frees its graph may do with buffers when a <see cref="TensorPool"/> is in
/// use: add a gradient into a pending sum in place when the sum's buffer is backward's own and no
/// other pending gradient shares it, and give back to the pool each gradient once the op it reached
/// has used it and each op output once that op's backward has run (every consumer of an output
/// comes earlier in the walk). Gradients are counted by buffer, since a backward may pass its
/// gradient on as is or as a view (add, reshape). One is kept per thread between walks (<see cref="WalkScratch"/>).
/// </summary>
internal sealed class BackwardBuffers
{
    private readonly Dictionary<TensorStorage, int> _pending = new(ReferenceEqualityComparer.Instance);
    private TensorPool? _pool;
    private long _lease;
    private TensorStorage? _output;
    private Tensor? _outputTensor;

    /// <summary>Starts the backward from <paramref name="output"/>; with no pool (or a graph to keep) nothing is reused.</summary>
    public void Begin(Tensor output, bool retainGraph)
    {
        _pool = retainGraph ? null : TensorPool.Current;
        _lease = _pool?.BeginBackward() ?? 0;
        _output = output.Storage;
        _outputTensor = output;
        _pool?.HoldUntilNextStep(output);
    }

    /// <summary>Forgets the walk (its buffers and pool), so the object can serve the thread's next one.</summary>
    public void End()
    {
        _pool?.ReserveForHeld();
        _pending.Clear();
        _pool = null;
        _output = null;
        _outputTensor = null;
    }

    /// <summary>A gradient becomes pending.</summary>
    public void Hold(Tensor gradient)
    {
        if (_pool is null) return;
        _pending[gradient.Storage] = _pending.GetValueOrDefault(gradient.Storage) + 1;
        gradient.PendingUses++;
    }

    /// <summary>A gradient stops being pending (its tensor is being processed, or it was summed into a new one).</summary>
    public void Drop(Tensor gradient)
    {
        if (_pool is null) return;
        gradient.PendingUses--;
        int count = _pending[gradient.Storage] - 1;
        if (count == 0) _pending.Remove(gradient.Storage);
        else _pending[gradient.Storage] = count;
    }

    /// <summary>Whether <paramref name="sum"/> (pending) may take another gradient in place.</summary>
    public bool CanAccumulateInto(Tensor sum) =>
        _pool is not null && sum.OwnsStorage && _pool.LentSince(sum, _lease) && _pending.GetValueOrDefault(sum.Storage) == 1;

    /// <summary>
    /// A gradient nothing will read again: its buffer back to the pool if this backward made it and no pending gradient
    /// shares it; its object too, unless it is still pending for another input.
    /// </summary>
    public void ReleaseGradient(Tensor gradient)
    {
        if (_pool is null) return;
        if (_pool.LentSince(gradient, _lease) && !_pending.ContainsKey(gradient.Storage))
            _pool.Return(gradient.Storage);
        _pool.ReturnObject(gradient, _lease);
    }

    /// <summary>An op output whose backward has run: back to the pool, buffer and object, if this step's forward made it.</summary>
    public void ReleaseOutput(Tensor tensor)
    {
        if (_pool is null || tensor == _outputTensor) return;
        if (tensor.OwnsStorage && tensor.Storage != _output && _pool.LentThisStep(tensor) && !_pending.ContainsKey(tensor.Storage))
            _pool.Return(tensor.Storage);
        _pool.ReturnObject(tensor, _pool.StepLease);
    }
}
