using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels.Vectors;

/// <summary>Eight floats in Vector256: AVX2 on x64.</summary>
internal readonly struct Float256(Vector256<float> value) : IFloatVector<Float256>
{
    public Vector256<float> Value { get; } = value;

    public static int Count => Vector256<float>.Count;
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;
    public static Float256 Zero => new(Vector256<float>.Zero);
    public static Float256 One => new(Vector256<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 Create(float value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Float256 Broadcast(float* source) => new(Vector256.Create(*source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 Load(ref float source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(ref float destination, nuint offset) => Value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Float256 Load(float* source) => new(Vector256.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* destination) => Value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe (Float256 Even, Float256 Odd) LoadEvenOdd(float* source)
    {
        var low = Vector256.Load(source);
        var high = Vector256.Load(source + Count);
        if (!Avx2.IsSupported)
            return (new(Vector256.Narrow(low.AsUInt64(), high.AsUInt64()).AsSingle()),
                new(Vector256.Narrow(Vector256.ShiftRightLogical(low.AsUInt64(), 32), Vector256.ShiftRightLogical(high.AsUInt64(), 32)).AsSingle()));
        // Within each 128-bit half: [low0 low2 high0 high2 | low4 low6 high4 high6]; swapping the middle 64-bit pairs puts them in order.
        var even = Avx.Shuffle(low, high, 0b10_00_10_00);
        var odd = Avx.Shuffle(low, high, 0b11_01_11_01);
        return (new(Avx2.Permute4x64(even.AsDouble(), 0b11_01_10_00).AsSingle()), new(Avx2.Permute4x64(odd.AsDouble(), 0b11_01_10_00).AsSingle()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreInterleaved(float* destination, Float256 even, Float256 odd)
    {
        if (!Avx.IsSupported)
        {
            Float128.StoreInterleaved(destination, new(even.Value.GetLower()), new(odd.Value.GetLower()));
            Float128.StoreInterleaved(destination + Count, new(even.Value.GetUpper()), new(odd.Value.GetUpper()));
            return;
        }
        // Unpacking works within 128-bit halves: [e0 o0 e1 o1 | e4 o4 e5 o5] and [e2 o2 e3 o3 | e6 o6 e7 o7]; their halves are then put in order.
        var low = Avx.UnpackLow(even.Value, odd.Value);
        var high = Avx.UnpackHigh(even.Value, odd.Value);
        Avx.Permute2x128(low, high, 0x20).Store(destination);
        Avx.Permute2x128(low, high, 0x31).Store(destination + Count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void StoreAsInt32(int* destination) => Vector256.ConvertToInt32(Value).Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Float256 LoadInt32(int* source) => new(Vector256.ConvertToSingle(Vector256.Load(source)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 operator +(Float256 x, Float256 y) => new(x.Value + y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 operator -(Float256 x, Float256 y) => new(x.Value - y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 operator *(Float256 x, Float256 y) => new(x.Value * y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 operator /(Float256 x, Float256 y) => new(x.Value / y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 operator -(Float256 x) => new(-x.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 operator &(Float256 x, Float256 y) => new(x.Value & y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 operator |(Float256 x, Float256 y) => new(x.Value | y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Float256 mask) => mask.Value.AsInt32() == Vector256<int>.AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 Max(Float256 x, Float256 y) => new(Vector256.Max(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 Min(Float256 x, Float256 y) => new(Vector256.Min(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 Abs(Float256 x) => new(Vector256.Abs(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 Sqrt(Float256 x) => new(Vector256.Sqrt(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 Round(Float256 x) => new(Vector256.Round(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 CopySign(Float256 value, Float256 sign) => new(Vector256.CopySign(value.Value, sign.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 Log(Float256 x) => new(Vector256.Log(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 Exp(Float256 x) => new(Vector256.Exp(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float256 PowerOfTwo(Float256 n) => new(Vector256.ShiftLeft(Vector256.ConvertToInt32(n.Value) + Vector256.Create(127), 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float256 FusedMultiplyAdd(Float256 x, Float256 y, Float256 z) => new(Vector256.FusedMultiplyAdd(x.Value, y.Value, z.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float256 MultiplyAddEstimate(Float256 x, Float256 y, Float256 z) => new(Vector256.MultiplyAddEstimate(x.Value, y.Value, z.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 GreaterThan(Float256 x, Float256 y) => new(Vector256.GreaterThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 GreaterThanOrEqual(Float256 x, Float256 y) => new(Vector256.GreaterThanOrEqual(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 EqualTo(Float256 x, Float256 y) => new(Vector256.Equals(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 LessThan(Float256 x, Float256 y) => new(Vector256.LessThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float256 LessThanOrEqual(Float256 x, Float256 y) => new(Vector256.LessThanOrEqual(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float256 Select(Float256 mask, Float256 ifSet, Float256 ifClear) => new(Vector256.ConditionalSelect(mask.Value, ifSet.Value, ifClear.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Float256 x) => Vector256.Sum(x.Value);
}
