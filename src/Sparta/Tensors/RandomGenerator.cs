namespace Sparta.Tensors;

/// <summary>
/// A seeded xoshiro256** generator. Its streams depend only on the seed, never on threads or
/// timing; <see cref="Fork(string)"/> derives an independent stream for a named purpose (a layer's
/// initializer, a data shuffle, an augmentation) so adding one consumer does not shift the others.
/// </summary>
public sealed class RandomGenerator
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    public RandomGenerator(ulong seed) => Restart(seed);

    public ulong Seed { get; private set; }

    /// <summary>An independent generator for stream <paramref name="stream"/> of this seed.</summary>
    public RandomGenerator Fork(ulong stream) => new(StreamSeed(stream));

    /// <summary>
    /// Makes <paramref name="target"/> the generator <see cref="Fork(ulong)"/> would return for this stream, without
    /// allocating one: a dropout layer draws each training step's mask from a stream of its own.
    /// </summary>
    internal void ForkInto(ulong stream, RandomGenerator target) => target.Restart(StreamSeed(stream));

    private ulong StreamSeed(ulong stream)
    {
        ulong x = Seed ^ (stream * 0xD1B54A32D192ED03UL + 0x8CB92BA72F3D8DD7UL);
        return SplitMix64(ref x);
    }

    private void Restart(ulong seed)
    {
        Seed = seed;
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
        _spareNormal = null;
    }

    /// <summary>An independent generator for a named stream (stable across runs and platforms).</summary>
    public RandomGenerator Fork(string stream)
    {
        ulong hash = 14695981039346656037UL; // FNV-1a: stable, unlike string.GetHashCode
        foreach (char c in stream) hash = (hash ^ c) * 1099511628211UL;
        return Fork(hash);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, bound), without modulo bias.</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), $"bound must be positive, got {bound}");
        ulong limit = ulong.MaxValue - ulong.MaxValue % (ulong)bound;
        ulong r;
        do r = NextUInt64(); while (r >= limit);
        return (int)(r % (ulong)bound);
    }

    /// <summary>Standard normal by the Marsaglia polar method (pairs; the spare is kept for the next call).</summary>
    public double Normal()
    {
        if (_spareNormal is double spare) { _spareNormal = null; return spare; }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * factor;
        return u * factor;
    }

    public double Normal(double mean, double std) => mean + std * Normal();

    /// <summary>Normal redrawn until within two standard deviations (Keras' and PyTorch's truncation).</summary>
    public double TruncatedNormal(double mean, double std)
    {
        double z;
        do z = Normal(); while (Math.Abs(z) > 2);
        return mean + std * z;
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public void FillUniform(Span<float> values, double low, double high)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)Uniform(low, high);
    }

    public void FillNormal(Span<float> values, double mean, double std)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)Normal(mean, std);
    }

    public void FillTruncatedNormal(Span<float> values, double mean, double std)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)TruncatedNormal(mean, std);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
