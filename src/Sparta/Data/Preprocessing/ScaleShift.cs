using Sparta.Kernels;

namespace Sparta.Data.Preprocessing;

/// <summary>y = x·scale + shift with scalar scale and shift, in one pass (TensorPrimitives has no scalar-scalar form).</summary>
internal static class ScaleShift
{
    public static void Apply(ReadOnlySpan<float> x, float scale, float shift, Span<float> y)
        => Elementwise.Map(new AffineOperator(scale, shift), x, y);
}
