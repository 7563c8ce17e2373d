using System.Runtime.Intrinsics;

namespace Sparta.Data.Preprocessing;

/// <summary>y = x·scale + shift with scalar scale and shift, in one pass (TensorPrimitives has no scalar-scalar form).</summary>
internal static class ScaleShift
{
    public static void Apply(ReadOnlySpan<float> x, float scale, float shift, Span<float> y)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(scale);
            var b = Vector512.Create(shift);
            for (; i <= x.Length - 16; i += 16)
                Vector512.FusedMultiplyAdd(Vector512.Create(x.Slice(i, 16)), s, b).CopyTo(y.Slice(i, 16));
        }
        for (; i < x.Length; i++) y[i] = MathF.FusedMultiplyAdd(x[i], scale, shift);
    }
}
