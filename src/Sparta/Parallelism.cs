namespace Sparta;

/// <summary>
/// How many threads Sparta's kernels may use (like torch.set_num_threads). Work is split only at a
/// coarse grain and every reduction runs in a fixed order, so results do not depend on this value.
/// </summary>
public static class Parallelism
{
    private static int _threads = Environment.ProcessorCount;

    public static int ThreadCount
    {
        get => _threads;
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), $"thread count must be at least 1, got {value}");
            _threads = value;
        }
    }
}
