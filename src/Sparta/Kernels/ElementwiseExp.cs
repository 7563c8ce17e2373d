using System.Runtime.CompilerServices;
using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// eˣ on a vector of any width, for the element-wise operators built on it (ELU, sigmoid, softplus,
/// swish and their derivatives). The runtime's vector Exp widens to double and measured about twice
/// as slow; this is the classic single-precision scheme (Cephes expf): x = n·ln2 + r with
/// |r| ≤ ln2/2, a degree-6 polynomial for eʳ, then a multiplication by 2ⁿ in two exact halves, so
/// overflow rounds to ∞ and underflow goes through the subnormals to 0. Within 2 ulp of MathF.Exp (tested).
/// </summary>
internal static class ElementwiseExp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Exp<TVector>(TVector x) where TVector : struct, IFloatVector<TVector>
    {
        // Beyond these bounds the result is ∞ or 0 anyway; clamping keeps n within [−150, 128].
        x = TVector.Min(TVector.Max(x, TVector.Create(-104f)), TVector.Create(89f));
        var n = TVector.Round(x * TVector.Create(1.44269504088896341f));
        // ln2 split in a part exact in float and a correction, so n·ln2 is subtracted without rounding error.
        var r = x - n * TVector.Create(0.693359375f) - n * TVector.Create(-2.12194440e-4f);
        var p = TVector.Create(1.9875691500e-4f);
        p = p * r + TVector.Create(1.3981999507e-3f);
        p = p * r + TVector.Create(8.3334519073e-3f);
        p = p * r + TVector.Create(4.1665795894e-2f);
        p = p * r + TVector.Create(1.6666665459e-1f);
        p = p * r + TVector.Create(5.0000001201e-1f);
        p = p * (r * r) + r + TVector.One;
        // 2ⁿ itself may not be a float (n = 128, or below −126): both halves are, and p·2^half stays
        // normal, so only the second multiplication rounds.
        var half = TVector.Round(n * TVector.Create(0.5f));
        return p * TVector.PowerOfTwo(half) * TVector.PowerOfTwo(n - half);
    }
}
