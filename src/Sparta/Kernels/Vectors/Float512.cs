using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels.Vectors;

/// <summary>Sixteen floats in Vector512: AVX-512 on x64.</summary>
internal readonly struct Float512(Vector512<float> value) : IFloatVector<Float512>
{
    public Vector512<float> Value { get; } = value;

    public static int Count => Vector512<float>.Count;
    /// <summary>
    /// Whether 512-bit instructions run here. .NET's <see cref="Vector512.IsHardwareAccelerated"/> says
    /// false on Intel's first AVX-512 processors (Skylake-SP, Cascade Lake), where it prefers 256 bits for
    /// fear of lower clocks, yet still compiles Vector512 to AVX-512 there; Sparta's 512-bit GEMM has always
    /// run on them, so the instruction set decides.
    /// </summary>
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated || Avx512F.IsSupported;
    public static Float512 Zero => new(Vector512<float>.Zero);
    public static Float512 One => new(Vector512<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 Create(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Float512 Broadcast(float* source) => new(Vector512.Create(*source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 Load(ref float source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(ref float destination, nuint offset) => Value.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Float512 Load(float* source) => new(Vector512.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void Store(float* destination) => Value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe (Float512 Even, Float512 Odd) LoadEvenOdd(float* source)
    {
        // Each 64-bit pair's low half is its even element (little-endian), the high half its odd one.
        var low = Vector512.Load(source).AsUInt64();
        var high = Vector512.Load(source + Count).AsUInt64();
        return (new(Vector512.Narrow(low, high).AsSingle()),
            new(Vector512.Narrow(Vector512.ShiftRightLogical(low, 32), Vector512.ShiftRightLogical(high, 32)).AsSingle()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreInterleaved(float* destination, Float512 even, Float512 odd)
    {
        if (!Avx512F.IsSupported)
        {
            Float256.StoreInterleaved(destination, new(even.Value.GetLower()), new(odd.Value.GetLower()));
            Float256.StoreInterleaved(destination + Count, new(even.Value.GetUpper()), new(odd.Value.GetUpper()));
            return;
        }
        // Indices 16 and up pick from the second operand: even[0], odd[0], even[1], odd[1], ...
        var low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        Avx512F.PermuteVar16x32x2(even.Value, low, odd.Value).Store(destination);
        Avx512F.PermuteVar16x32x2(even.Value, low + Vector512.Create(8), odd.Value).Store(destination + Count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public unsafe void StoreAsInt32(int* destination) => Vector512.ConvertToInt32(Value).Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static unsafe Float512 LoadInt32(int* source) => new(Vector512.ConvertToSingle(Vector512.Load(source)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 operator +(Float512 x, Float512 y) => new(x.Value + y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 operator -(Float512 x, Float512 y) => new(x.Value - y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 operator *(Float512 x, Float512 y) => new(x.Value * y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 operator /(Float512 x, Float512 y) => new(x.Value / y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 operator -(Float512 x) => new(-x.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 operator &(Float512 x, Float512 y) => new(x.Value & y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 operator |(Float512 x, Float512 y) => new(x.Value | y.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllSet(Float512 mask) => mask.Value.AsInt32() == Vector512<int>.AllBitsSet;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 Max(Float512 x, Float512 y) => new(Vector512.Max(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 Min(Float512 x, Float512 y) => new(Vector512.Min(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 Abs(Float512 x) => new(Vector512.Abs(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 Sqrt(Float512 x) => new(Vector512.Sqrt(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 Round(Float512 x) => new(Vector512.Round(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 CopySign(Float512 value, Float512 sign) => new(Vector512.CopySign(value.Value, sign.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 Log(Float512 x) => new(Vector512.Log(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 Exp(Float512 x) => new(Vector512.Exp(x.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 PowerOfTwo(Float512 n) => new(Vector512.ShiftLeft(Vector512.ConvertToInt32(n.Value) + Vector512.Create(127), 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 FusedMultiplyAdd(Float512 x, Float512 y, Float512 z) => new(Vector512.FusedMultiplyAdd(x.Value, y.Value, z.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 MultiplyAddEstimate(Float512 x, Float512 y, Float512 z) => new(Vector512.MultiplyAddEstimate(x.Value, y.Value, z.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 GreaterThan(Float512 x, Float512 y) => new(Vector512.GreaterThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 GreaterThanOrEqual(Float512 x, Float512 y) => new(Vector512.GreaterThanOrEqual(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 EqualTo(Float512 x, Float512 y) => new(Vector512.Equals(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 LessThan(Float512 x, Float512 y) => new(Vector512.LessThan(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Float512 LessThanOrEqual(Float512 x, Float512 y) => new(Vector512.LessThanOrEqual(x.Value, y.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 Select(Float512 mask, Float512 ifSet, Float512 ifClear) => new(Vector512.ConditionalSelect(mask.Value, ifSet.Value, ifClear.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Float512 x) => Vector512.Sum(x.Value);
}
