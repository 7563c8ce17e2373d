using System.Runtime.CompilerServices;

namespace Sparta.Kernels.Vectors;

/// <summary>
/// One float behind the vector interface, so a kernel written once for the vector widths also
/// computes its ragged tail (and every element, without vector hardware) with the very same operations.
/// </summary>
internal readonly struct Float1(float value) : IFloatVector<Float1>
{
    public float Value { get; } = value;

    public static int Count => 1;
    public static bool IsHardwareAccelerated => true;
    public static Float1 Zero => new(0f);
    public static Float1 One => new(1f);

    public static Float1 Create(float value) => new(value);
    public static unsafe Float1 Broadcast(float* source) => new(*source);
    public static Float1 Load(ref float source, nuint offset) => new(Unsafe.Add(ref source, offset));
    public void Store(ref float destination, nuint offset) => Unsafe.Add(ref destination, offset) = Value;
    public static unsafe Float1 Load(float* source) => new(*source);
    public unsafe void Store(float* destination) => *destination = Value;
    public static unsafe (Float1 Even, Float1 Odd) LoadEvenOdd(float* source) => (new(source[0]), new(source[1]));
    public static unsafe void StoreInterleaved(float* destination, Float1 even, Float1 odd)
    {
        destination[0] = even.Value;
        destination[1] = odd.Value;
    }

    public unsafe void StoreAsInt32(int* destination) => *destination = (int)Value;
    public static unsafe Float1 LoadInt32(int* source) => new(*source);

    public static Float1 operator +(Float1 x, Float1 y) => new(x.Value + y.Value);
    public static Float1 operator -(Float1 x, Float1 y) => new(x.Value - y.Value);
    public static Float1 operator *(Float1 x, Float1 y) => new(x.Value * y.Value);
    public static Float1 operator /(Float1 x, Float1 y) => new(x.Value / y.Value);
    public static Float1 operator -(Float1 x) => new(-x.Value);
    public static Float1 operator &(Float1 x, Float1 y) => FromBits(Bits(x) & Bits(y));
    public static Float1 operator |(Float1 x, Float1 y) => FromBits(Bits(x) | Bits(y));
    public static bool AllSet(Float1 mask) => Bits(mask) == -1;

    public static Float1 Max(Float1 x, Float1 y) => new(MathF.Max(x.Value, y.Value));
    public static Float1 Min(Float1 x, Float1 y) => new(MathF.Min(x.Value, y.Value));
    public static Float1 Abs(Float1 x) => new(MathF.Abs(x.Value));
    public static Float1 Sqrt(Float1 x) => new(MathF.Sqrt(x.Value));
    public static Float1 Round(Float1 x) => new(MathF.Round(x.Value));
    public static Float1 CopySign(Float1 value, Float1 sign) => new(MathF.CopySign(value.Value, sign.Value));
    public static Float1 Log(Float1 x) => new(MathF.Log(x.Value));
    public static Float1 Exp(Float1 x) => new(MathF.Exp(x.Value));
    public static Float1 PowerOfTwo(Float1 n) => FromBits(((int)n.Value + 127) << 23);
    public static Float1 FusedMultiplyAdd(Float1 x, Float1 y, Float1 z) => new(MathF.FusedMultiplyAdd(x.Value, y.Value, z.Value));
    public static Float1 MultiplyAddEstimate(Float1 x, Float1 y, Float1 z) => new(float.MultiplyAddEstimate(x.Value, y.Value, z.Value));

    public static Float1 GreaterThan(Float1 x, Float1 y) => Mask(x.Value > y.Value);
    public static Float1 GreaterThanOrEqual(Float1 x, Float1 y) => Mask(x.Value >= y.Value);
    public static Float1 EqualTo(Float1 x, Float1 y) => Mask(x.Value == y.Value);
    public static Float1 LessThan(Float1 x, Float1 y) => Mask(x.Value < y.Value);
    public static Float1 LessThanOrEqual(Float1 x, Float1 y) => Mask(x.Value <= y.Value);
    public static Float1 Select(Float1 mask, Float1 ifSet, Float1 ifClear) => FromBits((Bits(mask) & Bits(ifSet)) | (~Bits(mask) & Bits(ifClear)));
    public static float Sum(Float1 x) => x.Value;

    private static Float1 Mask(bool set) => FromBits(set ? -1 : 0);
    private static int Bits(Float1 x) => BitConverter.SingleToInt32Bits(x.Value);
    private static Float1 FromBits(int bits) => new(BitConverter.Int32BitsToSingle(bits));
}
