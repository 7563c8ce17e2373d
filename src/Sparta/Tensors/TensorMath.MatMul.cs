using Sparta.Kernels;

namespace Sparta.Tensors;

public static partial class TensorMath
{
    /// <summary>
    /// Matrix product op(a)·op(b), where op transposes the last two axes when asked. Both 2-D:
    /// (m, k)·(k, n). Batched: (B, m, k)·(B, k, n), or a 3-D a against a shared 2-D b.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false, Tensor? result = null)
    {
        if (a.Rank is < 2 or > 3 || b.Rank is < 2 or > 3 || (a.Rank == 2 && b.Rank == 3))
            throw new ArgumentException($"matmul: expected 2-D·2-D, 3-D·3-D or 3-D·2-D operands, got {a.Shape} and {b.Shape}");
        int m = transposeA ? a.Shape[-1] : a.Shape[-2], k = transposeA ? a.Shape[-2] : a.Shape[-1];
        int kb = transposeB ? b.Shape[-1] : b.Shape[-2], n = transposeB ? b.Shape[-2] : b.Shape[-1];
        int batch = a.Rank == 3 ? a.Shape[0] : 1;
        if (k != kb || (b.Rank == 3 && b.Shape[0] != batch))
            throw new ArgumentException($"matmul: shapes {a.Shape}{(transposeA ? "ᵀ" : "")} and {b.Shape}{(transposeB ? "ᵀ" : "")} do not agree");
        var shape = a.Rank == 3 ? new Shape(batch, m, n) : new Shape(m, n);
        result = Prepare("matmul", result, shape);
        var ta = transposeA ? Kernels.Transpose.Yes : Kernels.Transpose.No;
        var tb = transposeB ? Kernels.Transpose.Yes : Kernels.Transpose.No;
        int bStride = b.Rank == 3 ? k * n : 0;
        for (int i = 0; i < batch; i++)
            Gemm.Multiply(ta, tb, m, n, k, a.Span.Slice(i * m * k, m * k), b.Span.Slice(i * bStride, k * n), result.Span.Slice(i * m * n, m * n));
        return result;
    }
}
