using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// eˣ on 16 floats, for the element-wise operators built on it (ELU, sigmoid, softplus, swish and
/// their derivatives). Vector512.Exp widens to double and measured about twice as slow; this is the
/// classic single-precision scheme (Cephes expf): x = n·ln2 + r with |r| ≤ ln2/2, a degree-6
/// polynomial for eʳ, then vscalefps multiplies by 2ⁿ, which also rounds overflow to ∞ and
/// underflow through the subnormals to 0. Within 2 ulp of MathF.Exp (tested).
/// </summary>
internal static class ElementwiseExp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        if (!Avx512F.IsSupported) return Vector512.Exp(x);
        // Beyond these bounds the result is ∞ or 0 anyway; clamping keeps n small enough for vscalef.
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-104f)), Vector512.Create(89f));
        var n = Vector512.Round(x * Vector512.Create(1.44269504088896341f));
        // ln2 split in a part exact in float and a correction, so n·ln2 is subtracted without rounding error.
        var r = x - n * Vector512.Create(0.693359375f) - n * Vector512.Create(-2.12194440e-4f);
        var p = Vector512.Create(1.9875691500e-4f);
        p = p * r + Vector512.Create(1.3981999507e-3f);
        p = p * r + Vector512.Create(8.3334519073e-3f);
        p = p * r + Vector512.Create(4.1665795894e-2f);
        p = p * r + Vector512.Create(1.6666665459e-1f);
        p = p * r + Vector512.Create(5.0000001201e-1f);
        p = p * (r * r) + r + Vector512<float>.One;
        return Avx512F.Scale(p, n);
    }
}
