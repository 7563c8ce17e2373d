using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Matrix product op(a)·op(b) (see <see cref="TensorMath.MatMul"/>). With y = op(a)·op(b):
    /// d op(a) = g·op(b)ᵀ and d op(b) = op(a)ᵀ·g; each is written directly in a's or b's layout by
    /// choosing the GEMM's transposes, so no transposed copy is made.
    /// </summary>
    public static Tensor MatMul(this Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        var y = TensorMath.MatMul(a, b, transposeA, transposeB);
        if (Tape.ShouldRecord(a, b))
            Tape.Record(y, "matmul", [a, b], g =>
            [
                a.RequiresGrad ? MatMulGradientA(g, a, b, transposeA, transposeB) : null,
                b.RequiresGrad ? MatMulGradientB(g, a, b, transposeA, transposeB) : null,
            ]);
        return y;
    }

    private static Tensor MatMulGradientA(Tensor g, Tensor a, Tensor b, bool transposeA, bool transposeB)
    {
        if (!transposeA) return TensorMath.MatMul(g, b, false, !transposeB);      // g·op(b)ᵀ
        if (b.Rank == a.Rank) return TensorMath.MatMul(b, g, transposeB, true);   // (g·op(b)ᵀ)ᵀ = op(b)·gᵀ
        // A 2-D b shared by a batch cannot stand first in a batched product: transpose the result instead.
        return TensorMath.Permute(TensorMath.MatMul(g, b, false, !transposeB), [0, 2, 1]);
    }

    private static Tensor MatMulGradientB(Tensor g, Tensor a, Tensor b, bool transposeA, bool transposeB)
    {
        var perBatch = transposeB
            ? TensorMath.MatMul(g, a, true, transposeA)    // (op(a)ᵀ·g)ᵀ = gᵀ·op(a)
            : TensorMath.MatMul(a, g, !transposeA, false); // op(a)ᵀ·g
        // A 2-D b shared by every item of a batch gathers the gradient of each.
        return b.Rank == a.Rank ? perBatch : TensorMath.Sum(perBatch, 0);
    }
}
