namespace Sparta.Tuning.Samplers;

/// <summary>
/// The Sobol low-discrepancy sequence in up to 40 dimensions with Joe and Kuo's direction
/// numbers (new-joe-kuo-6.21201), 32 bits per coordinate, in natural order: the first 2^m points
/// form a (t, m, s)-net, so in each dimension every interval [k/2^m, (k+1)/2^m) holds exactly one.
/// Scrambling keeps that property while randomizing the points.
/// </summary>
public static class SobolSequence
{
    public const int MaxDimension = 40;
    private const int Bits = 32;

    // Dimensions 2..40, each as s (polynomial degree), a (its inner coefficients), m_1..m_s.
    private static readonly int[][] JoeKuo =
    {
        new[] { 1, 0, 1 }, new[] { 2, 1, 1, 3 }, new[] { 3, 1, 1, 3, 1 }, new[] { 3, 2, 1, 1, 1 },
        new[] { 4, 1, 1, 1, 3, 3 }, new[] { 4, 4, 1, 3, 5, 13 }, new[] { 5, 2, 1, 1, 5, 5, 17 },
        new[] { 5, 4, 1, 1, 5, 5, 5 }, new[] { 5, 7, 1, 1, 7, 11, 19 }, new[] { 5, 11, 1, 1, 5, 1, 1 },
        new[] { 5, 13, 1, 1, 1, 3, 11 }, new[] { 5, 14, 1, 3, 5, 5, 31 }, new[] { 6, 1, 1, 3, 3, 9, 7, 49 },
        new[] { 6, 13, 1, 1, 1, 15, 21, 21 }, new[] { 6, 16, 1, 3, 1, 13, 27, 49 }, new[] { 6, 19, 1, 1, 1, 15, 7, 5 },
        new[] { 6, 22, 1, 3, 1, 15, 13, 25 }, new[] { 6, 25, 1, 1, 5, 5, 19, 61 }, new[] { 7, 1, 1, 3, 7, 11, 23, 15, 103 },
        new[] { 7, 4, 1, 3, 7, 13, 13, 15, 69 }, new[] { 7, 7, 1, 1, 3, 13, 7, 35, 63 }, new[] { 7, 8, 1, 3, 5, 9, 1, 25, 53 },
        new[] { 7, 14, 1, 3, 1, 13, 9, 35, 107 }, new[] { 7, 19, 1, 3, 1, 5, 27, 61, 31 }, new[] { 7, 21, 1, 1, 5, 11, 19, 41, 61 },
        new[] { 7, 28, 1, 3, 5, 3, 3, 13, 69 }, new[] { 7, 31, 1, 1, 7, 13, 1, 19, 1 }, new[] { 7, 32, 1, 3, 7, 5, 13, 19, 59 },
        new[] { 7, 37, 1, 1, 3, 9, 25, 29, 41 }, new[] { 7, 41, 1, 3, 5, 13, 23, 1, 55 }, new[] { 7, 42, 1, 3, 7, 3, 13, 59, 17 },
        new[] { 7, 50, 1, 3, 1, 3, 5, 53, 69 }, new[] { 7, 55, 1, 1, 5, 5, 23, 33, 13 }, new[] { 7, 56, 1, 1, 7, 7, 1, 61, 123 },
        new[] { 7, 59, 1, 1, 7, 9, 13, 61, 49 }, new[] { 7, 62, 1, 3, 3, 5, 3, 55, 33 }, new[] { 8, 14, 1, 3, 1, 15, 31, 13, 49, 245 },
        new[] { 8, 21, 1, 3, 5, 15, 31, 59, 63, 97 }, new[] { 8, 22, 1, 3, 1, 11, 11, 11, 77, 249 },
    };

    private static readonly uint[][] Directions = BuildDirections();

    private static uint[][] BuildDirections()
    {
        var directions = new uint[MaxDimension][];
        directions[0] = new uint[Bits];
        for (int k = 0; k < Bits; k++) directions[0][k] = 1u << (Bits - 1 - k); // van der Corput
        for (int d = 1; d < MaxDimension; d++)
        {
            int[] row = JoeKuo[d - 1];
            int s = row[0], a = row[1];
            var v = new uint[Bits];
            for (int k = 0; k < s && k < Bits; k++) v[k] = (uint)row[2 + k] << (Bits - 1 - k);
            for (int k = s; k < Bits; k++)
            {
                uint value = v[k - s] ^ (v[k - s] >> s);
                for (int i = 1; i < s; i++)
                    if (((a >> (s - 1 - i)) & 1) != 0) value ^= v[k - i];
                v[k] = value;
            }
            directions[d] = v;
        }
        return directions;
    }

    /// <summary>Coordinate <paramref name="dimension"/> of point <paramref name="index"/>, as 32 bits of a binary fraction.</summary>
    public static uint Point(long index, int dimension)
    {
        if (dimension < 0 || dimension >= MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(dimension), $"Sobol sequence: dimension must be in [0, {MaxDimension}), got {dimension}");
        if (index < 0 || index >= 1L << Bits) throw new ArgumentOutOfRangeException(nameof(index), $"Sobol sequence: index must be in [0, 2^32), got {index}");
        uint x = 0;
        var v = Directions[dimension];
        for (int k = 0; index != 0; k++, index >>= 1)
            if ((index & 1) != 0) x ^= v[k];
        return x;
    }

    /// <summary>
    /// Owen (nested uniform) scrambling by hashing, after Burley (2020): each bit is flipped
    /// depending only on the bits above it, so nets stay nets.
    /// </summary>
    public static uint OwenScramble(uint x, uint seed)
    {
        x = ReverseBits(x);
        x += seed;
        x ^= x * 0x6c50b47cu;
        x ^= x * 0xb82f1e52u;
        x ^= x * 0xc7afe638u;
        x ^= x * 0x8d22f6e6u;
        return ReverseBits(x);
    }

    /// <summary>Random digit scrambling (a digital shift): XOR with a random word. Cheaper; also keeps nets.</summary>
    public static uint DigitalShift(uint x, uint seed) => x ^ seed;

    /// <summary>The binary fraction as a double strictly inside (0, 1), at the centre of its 2^-32 cell.</summary>
    public static double ToUnit(uint x) => (x + 0.5) / 4294967296.0;

    private static uint ReverseBits(uint x)
    {
        x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
        x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
        x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
        x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
        return (x >> 16) | (x << 16);
    }
}
