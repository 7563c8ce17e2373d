namespace Sparta;

/// <summary>
/// The work of one <see cref="Parallelism.ForRanges{TBody}"/> call over [start, end): a struct holding the
/// call's pointers and arguments, so that splitting it allocates nothing. Its items must be independent
/// (no sum across ranges), and it must not change its own fields: every thread runs the same copy.
/// </summary>
internal interface IRangeBody
{
    void Run(int start, int end);
}

/// <summary>
/// A split call of <typeparamref name="TBody"/> (<see cref="KeptSplit{TSelf}"/>), so a training step's splits
/// (the batch gather, the gradients' clearing and sums, the optimizers' updates) allocate nothing.
/// </summary>
internal sealed class RangeSplit<TBody> : KeptSplit<RangeSplit<TBody>> where TBody : struct, IRangeBody
{
    private TBody _body;
    private int _length, _alignment, _ranges;

    /// <summary>Runs <paramref name="body"/> over [0, <paramref name="length"/>) cut into <paramref name="ranges"/>, every cut a multiple of <paramref name="alignment"/>.</summary>
    public static void Run(in TBody body, int length, int alignment, int ranges)
    {
        var split = Take();
        split._body = body;
        split._length = length;
        split._alignment = alignment;
        split._ranges = ranges;
        split.RunParts(ranges);
    }

    protected override void RunPart(int range)
    {
        int units = (_length + _alignment - 1) / _alignment;
        int start = (int)Math.Min(_length, (long)range * units / _ranges * _alignment);
        int end = (int)Math.Min(_length, (long)(range + 1) * units / _ranges * _alignment);
        if (end > start) _body.Run(start, end);
    }

    protected override void Forget() => _body = default;
}
