namespace Sparta.Kernels;

// The element-wise passes' work over one range of a split call (see Parallelism.ForRanges): each element
// is computed exactly as on one thread, so the result does not depend on the thread count.

internal readonly unsafe struct UnaryMapRange<TOp>(TOp op, float* x, float* result) : IRangeBody where TOp : struct, IUnaryOperator
{
    public void Run(int start, int end) =>
        Elementwise.MapRange(op, new ReadOnlySpan<float>(x + start, end - start), new Span<float>(result + start, end - start));
}

internal readonly unsafe struct BinaryMapRange<TOp>(TOp op, float* x, float* y, float* result) : IRangeBody where TOp : struct, IBinaryOperator
{
    public void Run(int start, int end) => Elementwise.MapRange(op, new ReadOnlySpan<float>(x + start, end - start),
        new ReadOnlySpan<float>(y + start, end - start), new Span<float>(result + start, end - start));
}

internal readonly unsafe struct ClearRange(float* values) : IRangeBody
{
    public void Run(int start, int end) => new Span<float>(values + start, end - start).Clear();
}
