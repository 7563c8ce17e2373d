namespace Sparta.Kernels.Vectors;

/// <summary>
/// A vector of floats of one hardware width (<see cref="Float128"/>, <see cref="Float256"/>,
/// <see cref="Float512"/>), so a kernel is written once and the JIT specializes it for each width:
/// a generic method over <c>TVector : struct, IFloatVector&lt;TVector&gt;</c> compiles to straight
/// SSE/NEON, AVX2 or AVX-512 code with every call inlined. Comparisons return lane masks (all bits
/// set or clear) for <see cref="Select"/> and the bitwise operators.
/// </summary>
internal interface IFloatVector<TSelf> where TSelf : struct, IFloatVector<TSelf>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Whether this width runs in hardware here (otherwise it is emulated, correct but slow).</summary>
    static abstract bool IsHardwareAccelerated { get; }

    static abstract TSelf Zero { get; }
    static abstract TSelf One { get; }
    static abstract TSelf Create(float value);

    /// <summary>
    /// The float at <paramref name="source"/> in every lane, loaded that way (the same value as
    /// <see cref="Create"/>): a multiply-add tile's broadcast then takes a load port alone, never a
    /// shuffle beside the multiply-adds.
    /// </summary>
    static abstract unsafe TSelf Broadcast(float* source);
    static abstract TSelf Load(ref float source, nuint offset);
    void Store(ref float destination, nuint offset);
    static abstract unsafe TSelf Load(float* source);
    unsafe void Store(float* destination);

    /// <summary>The even and the odd elements of the 2·<see cref="Count"/> floats at <paramref name="source"/>, each in order.</summary>
    static abstract unsafe (TSelf Even, TSelf Odd) LoadEvenOdd(float* source);

    /// <summary>
    /// Writes even[0], odd[0], even[1], odd[1], ... to the 2·<see cref="Count"/> floats at
    /// <paramref name="destination"/>: the inverse of <see cref="LoadEvenOdd"/>.
    /// </summary>
    static abstract unsafe void StoreInterleaved(float* destination, TSelf even, TSelf odd);

    /// <summary>Lanes holding whole numbers (below 2²⁴, so exact as floats) stored as ints.</summary>
    unsafe void StoreAsInt32(int* destination);

    /// <summary>Ints converted to floats: exact below 2²⁴ in magnitude, at least 2²⁴ (never a smaller whole number) above.</summary>
    static abstract unsafe TSelf LoadInt32(int* source);

    static abstract TSelf operator +(TSelf x, TSelf y);
    static abstract TSelf operator -(TSelf x, TSelf y);
    static abstract TSelf operator *(TSelf x, TSelf y);
    static abstract TSelf operator /(TSelf x, TSelf y);
    static abstract TSelf operator -(TSelf x);
    static abstract TSelf operator &(TSelf x, TSelf y);
    static abstract TSelf operator |(TSelf x, TSelf y);

    /// <summary>Whether every lane of a mask (a comparison's result) is set.</summary>
    static abstract bool AllSet(TSelf mask);

    static abstract TSelf Max(TSelf x, TSelf y);
    static abstract TSelf Min(TSelf x, TSelf y);
    static abstract TSelf Abs(TSelf x);
    static abstract TSelf Sqrt(TSelf x);
    static abstract TSelf Round(TSelf x);
    static abstract TSelf CopySign(TSelf value, TSelf sign);
    static abstract TSelf Log(TSelf x);

    /// <summary>The runtime's vector eˣ (it widens to double); <see cref="ElementwiseExp"/> is the faster single-precision one.</summary>
    static abstract TSelf Exp(TSelf x);

    /// <summary>2ⁿ for whole-number n in [−126, 127], built from its exponent bits.</summary>
    static abstract TSelf PowerOfTwo(TSelf n);

    /// <summary>x·y + z with one rounding.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf x, TSelf y, TSelf z);

    /// <summary>
    /// x·y + z, with one rounding where the processor has a fused multiply-add and two where it has
    /// not (SSE without FMA): never the slow software emulation <see cref="FusedMultiplyAdd"/> falls back to.
    /// </summary>
    static abstract TSelf MultiplyAddEstimate(TSelf x, TSelf y, TSelf z);

    static abstract TSelf GreaterThan(TSelf x, TSelf y);
    static abstract TSelf GreaterThanOrEqual(TSelf x, TSelf y);
    static abstract TSelf EqualTo(TSelf x, TSelf y);
    static abstract TSelf LessThan(TSelf x, TSelf y);
    static abstract TSelf LessThanOrEqual(TSelf x, TSelf y);

    /// <summary>Lanes of <paramref name="ifSet"/> where <paramref name="mask"/> is set, else of <paramref name="ifClear"/>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf ifSet, TSelf ifClear);

    /// <summary>The sum of the lanes, in the runtime's fixed order for this width.</summary>
    static abstract float Sum(TSelf x);
}
