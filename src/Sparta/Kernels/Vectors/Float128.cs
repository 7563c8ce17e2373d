using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels.Vectors;

/// <summary>Four floats in Vector128: SSE on x64, NEON on ARM64 (the portable width every 64-bit processor .NET runs on has).</summary>
internal readonly struct Float128(Vector128<float> value) : IFloatVector<Float128>
{
    public Vector128<float> Value { get; } = value;

    public static int Count => Vector128<float>.Count;
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;
    public static Float128 Zero => new(Vector128<float>.Zero);
    public static Float128 One => new(Vector128<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 Create(float value) => new(Vector128.Create(value));

    /// <summary>
    /// AVX's vbroadcastss from memory (NEON's ld1r) is a load alone; without AVX2 the JIT compiles
    /// Vector128.Create(*source) to a load and a shuffle, and the shuffle takes a slot of the ports the
    /// multiplies and adds of a tile run on (the 128-bit GEMM ran 1.4x faster without it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Float128 Broadcast(float* source)
    {
        if (Avx.IsSupported) return new(Avx.BroadcastScalarToVector128(source));
        if (AdvSimd.IsSupported) return new(AdvSimd.LoadAndReplicateToVector128(source));
        return new(Vector128.Create(*source));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 Load(ref float source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(ref float destination, nuint offset) => Value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Float128 Load(float* source) => new(Vector128.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* destination) => Value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe (Float128 Even, Float128 Odd) LoadEvenOdd(float* source)
    {
        // Each 64-bit pair's low half is its even element (little-endian), the high half its odd one.
        var low = Vector128.Load(source).AsUInt64();
        var high = Vector128.Load(source + Count).AsUInt64();
        return (new(Vector128.Narrow(low, high).AsSingle()),
            new(Vector128.Narrow(Vector128.ShiftRightLogical(low, 32), Vector128.ShiftRightLogical(high, 32)).AsSingle()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreInterleaved(float* destination, Float128 even, Float128 odd)
    {
        if (Sse.IsSupported)
        {
            Sse.UnpackLow(even.Value, odd.Value).Store(destination);
            Sse.UnpackHigh(even.Value, odd.Value).Store(destination + Count);
            return;
        }
        StoreInterleavedPortable(destination, even, odd);
    }

    /// <summary>
    /// <see cref="StoreInterleaved"/> in the cross-platform API (NEON's path, tested on every machine):
    /// each even element widened to a 64-bit pair's low half (little-endian), its odd partner shifted into the high half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void StoreInterleavedPortable(float* destination, Float128 even, Float128 odd)
    {
        var evens = even.Value.AsUInt32();
        var odds = odd.Value.AsUInt32();
        (Vector128.WidenLower(evens) | Vector128.ShiftLeft(Vector128.WidenLower(odds), 32)).AsSingle().Store(destination);
        (Vector128.WidenUpper(evens) | Vector128.ShiftLeft(Vector128.WidenUpper(odds), 32)).AsSingle().Store(destination + Count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void StoreAsInt32(int* destination) => Vector128.ConvertToInt32(Value).Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Float128 LoadInt32(int* source) => new(Vector128.ConvertToSingle(Vector128.Load(source)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 operator +(Float128 x, Float128 y) => new(x.Value + y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 operator -(Float128 x, Float128 y) => new(x.Value - y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 operator *(Float128 x, Float128 y) => new(x.Value * y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 operator /(Float128 x, Float128 y) => new(x.Value / y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 operator -(Float128 x) => new(-x.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 operator &(Float128 x, Float128 y) => new(x.Value & y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 operator |(Float128 x, Float128 y) => new(x.Value | y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Float128 mask) => mask.Value.AsInt32() == Vector128<int>.AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 Max(Float128 x, Float128 y) => new(Vector128.Max(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 Min(Float128 x, Float128 y) => new(Vector128.Min(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 Abs(Float128 x) => new(Vector128.Abs(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 Sqrt(Float128 x) => new(Vector128.Sqrt(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 Round(Float128 x) => new(Vector128.Round(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 CopySign(Float128 value, Float128 sign) => new(Vector128.CopySign(value.Value, sign.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 Log(Float128 x) => new(Vector128.Log(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 Exp(Float128 x) => new(Vector128.Exp(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float128 PowerOfTwo(Float128 n) => new(Vector128.ShiftLeft(Vector128.ConvertToInt32(n.Value) + Vector128.Create(127), 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float128 FusedMultiplyAdd(Float128 x, Float128 y, Float128 z) => new(Vector128.FusedMultiplyAdd(x.Value, y.Value, z.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float128 MultiplyAddEstimate(Float128 x, Float128 y, Float128 z) => new(Vector128.MultiplyAddEstimate(x.Value, y.Value, z.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 GreaterThan(Float128 x, Float128 y) => new(Vector128.GreaterThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 GreaterThanOrEqual(Float128 x, Float128 y) => new(Vector128.GreaterThanOrEqual(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 EqualTo(Float128 x, Float128 y) => new(Vector128.Equals(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 LessThan(Float128 x, Float128 y) => new(Vector128.LessThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float128 LessThanOrEqual(Float128 x, Float128 y) => new(Vector128.LessThanOrEqual(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float128 Select(Float128 mask, Float128 ifSet, Float128 ifClear) => new(Vector128.ConditionalSelect(mask.Value, ifSet.Value, ifClear.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Float128 x) => Vector128.Sum(x.Value);
}
