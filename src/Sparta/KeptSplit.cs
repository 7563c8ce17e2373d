namespace Sparta;

/// <summary>
/// A split call's object, kept on the calling thread and reused by the thread's next call of the same type,
/// whose part delegate is made once: a training step's splits allocate nothing. A call of the same type made
/// while one is running on the thread (from inside a part) takes an object of its own.
/// </summary>
internal abstract class KeptSplit<TSelf> where TSelf : KeptSplit<TSelf>, new()
{
    [ThreadStatic] private static TSelf? _spare;

    private readonly Action<int> _part;

    protected KeptSplit() => _part = RunPart;

    /// <summary>This thread's kept object, or a new one when it is in use.</summary>
    protected static TSelf Take()
    {
        var split = _spare ?? new TSelf();
        _spare = null;
        return split;
    }

    /// <summary>Runs parts 0 to <paramref name="parts"/> − 1 across the threads, then forgets the call and keeps the object.</summary>
    protected void RunParts(int parts)
    {
        try { Parallelism.ForEachPart(parts, _part); }
        finally
        {
            Forget(); // nothing of the call is kept alive
            _spare = (TSelf)this;
        }
    }

    protected abstract void RunPart(int part);

    /// <summary>Drops the call's body, so the kept object holds nothing of it.</summary>
    protected abstract void Forget();
}
