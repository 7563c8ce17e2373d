using System.Diagnostics;
using Sparta.Tuning;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;

/// <summary>
/// A sampler that adds up the time spent in its calls, less the storage reads it makes (those
/// count as the storage's): the sampler's own share of a trial.
/// </summary>
sealed class TimedSampler(ISampler inner, TimedStorage storage) : ISampler
{
    private long _ticks;

    /// <summary>Sampler time since the last call, in milliseconds.</summary>
    public double TakeMilliseconds()
    {
        double ms = _ticks * 1000.0 / Stopwatch.Frequency;
        _ticks = 0;
        return ms;
    }

    private T Time<T>(Func<T> call)
    {
        long start = Stopwatch.GetTimestamp(), storageBefore = storage.Ticks;
        try { return call(); }
        finally { _ticks += Stopwatch.GetTimestamp() - start - (storage.Ticks - storageBefore); }
    }

    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) =>
        Time(() => inner.InferRelativeSearchSpace(study, trial));

    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace) =>
        Time(() => inner.SampleRelative(study, trial, searchSpace));

    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        Time(() => inner.SampleIndependent(study, trial, name, distribution));

    public void AfterTrial(Study study, FrozenTrial trial) => Time(() => { inner.AfterTrial(study, trial); return 0; });
}
