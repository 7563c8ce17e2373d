using Sparta.Kernels.Vectors;

namespace Sparta.Tests.Kernels;

/// <summary>
/// Vector loads and stores the kernels are built from, at every width (a width the processor lacks runs
/// emulated): a broadcast load puts the very bits in every lane (the multiply-add tiles'), interleaving
/// undoes <see cref="IFloatVector{TSelf}.LoadEvenOdd"/>, ints load as the floats a scalar conversion gives,
/// and a mask is all set only when every lane is (max pooling's backward).
/// </summary>
public unsafe class FloatVectorLoadStoreTests
{
    [Fact]
    public void A_broadcast_load_puts_the_same_bits_in_every_lane_at_every_width()
    {
        AssertBroadcasts<Float1>();
        AssertBroadcasts<Float128>();
        AssertBroadcasts<Float256>();
        AssertBroadcasts<Float512>();
    }

    private static void AssertBroadcasts<TVector>() where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count;
        float* values = stackalloc float[3], stored = stackalloc float[lanes];
        values[0] = 1f;
        values[1] = BitConverter.Int32BitsToSingle(0x7FC0_5678); // a NaN with a payload
        values[2] = -0f;
        for (int at = 0; at < 3; at++)
        {
            TVector.Broadcast(values + at).Store(stored);
            for (int lane = 0; lane < lanes; lane++)
                Assert.Equal(BitConverter.SingleToInt32Bits(values[at]), BitConverter.SingleToInt32Bits(stored[lane]));
        }
    }

    [Fact]
    public void Interleaving_writes_even_and_odd_lanes_in_turn_at_every_width()
    {
        AssertInterleaves<Float1>();
        AssertInterleaves<Float128>();
        AssertInterleaves<Float256>();
        AssertInterleaves<Float512>();
    }

    [Fact]
    public void The_portable_128_bit_interleave_matches_the_definition()
    {
        float* source = stackalloc float[8], written = stackalloc float[8];
        for (int i = 0; i < 8; i++) source[i] = i + 0.5f;
        Float128 even = Float128.Load(source), odd = Float128.Load(source + 4);
        Float128.StoreInterleavedPortable(written, even, odd);
        for (int i = 0; i < 8; i++) Assert.Equal(source[i / 2 + (i % 2) * 4], written[i]);
    }

    private static void AssertInterleaves<TVector>() where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count;
        float* source = stackalloc float[2 * lanes], written = stackalloc float[2 * lanes + 1];
        // Distinct values, a NaN's payload and a negative zero among them: the bits must travel unchanged.
        for (int i = 0; i < 2 * lanes; i++) source[i] = i == 3 ? BitConverter.Int32BitsToSingle(0x7FC0_1234) : i == 1 ? -0f : i * 1.25f - 7f;
        written[2 * lanes] = 99f;
        var (even, odd) = TVector.LoadEvenOdd(source);
        TVector.StoreInterleaved(written, even, odd);
        for (int i = 0; i < 2 * lanes; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(source[i]), BitConverter.SingleToInt32Bits(written[i]));
        Assert.Equal(99f, written[2 * lanes]);
    }

    [Fact]
    public void Ints_load_as_their_conversions_at_every_width()
    {
        AssertLoadsInts<Float1>();
        AssertLoadsInts<Float128>();
        AssertLoadsInts<Float256>();
        AssertLoadsInts<Float512>();
    }

    private static void AssertLoadsInts<TVector>() where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count;
        int[] values = [0, 1, -1, (1 << 24) - 1, 1 << 24, (1 << 24) + 1, int.MaxValue, int.MinValue, 12345, -777, 3, 4, 5, 6, 7, 8];
        int* source = stackalloc int[lanes];
        float* loaded = stackalloc float[lanes];
        for (int first = 0; first < values.Length; first += lanes)
        {
            for (int lane = 0; lane < lanes; lane++) source[lane] = values[(first + lane) % values.Length];
            TVector.LoadInt32(source).Store(loaded);
            for (int lane = 0; lane < lanes; lane++) Assert.Equal((float)source[lane], loaded[lane]);
        }
    }

    [Fact]
    public void A_mask_is_all_set_only_when_every_lane_is_at_every_width()
    {
        AssertAllSet<Float1>();
        AssertAllSet<Float128>();
        AssertAllSet<Float256>();
        AssertAllSet<Float512>();
    }

    private static void AssertAllSet<TVector>() where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count;
        float* values = stackalloc float[lanes];
        for (int lane = 0; lane < lanes; lane++) values[lane] = lane;
        var vector = TVector.Load(values);
        Assert.True(TVector.AllSet(TVector.EqualTo(vector, vector)));
        for (int clear = 0; clear < lanes; clear++)
        {
            values[clear] = -1f;
            var other = TVector.Load(values);
            values[clear] = clear;
            Assert.False(TVector.AllSet(TVector.EqualTo(vector, other)));
            // Or-ing in the one lane that differs sets the whole mask again.
            Assert.True(TVector.AllSet(TVector.EqualTo(vector, other) | TVector.LessThan(other, vector)));
        }
    }
}
