using Sparta.Autograd;
using Sparta.Kernels;
using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Onnx;

// Reductions, softmax and the matrix products.
internal static partial class OnnxOperators
{
    private static void AddReductionOperators(Dictionary<string, Func<OnnxOpContext, Tensor>> table)
    {
        table["ReduceSum"] = c => Reduce(c, x => x, (x, a) => x.Sum(a, keepDims: true), x => x);
        table["ReduceMean"] = c => Reduce(c, x => x, (x, a) => x.Mean(a, keepDims: true), x => x);
        table["ReduceMax"] = c => Reduce(c, x => x, (x, a) => x.Max(a, keepDims: true), x => x);
        table["ReduceMin"] = c => Reduce(c, x => -x, (x, a) => x.Max(a, keepDims: true), x => -x);
        table["ReduceL1"] = c => Reduce(c, x => x.Abs(), (x, a) => x.Sum(a, keepDims: true), x => x);
        table["ReduceL2"] = c => Reduce(c, x => x * x, (x, a) => x.Sum(a, keepDims: true), x => x.Sqrt());
        table["ReduceSumSquare"] = c => Reduce(c, x => x * x, (x, a) => x.Sum(a, keepDims: true), x => x);
        table["ReduceLogSum"] = c => Reduce(c, x => x, (x, a) => x.Sum(a, keepDims: true), x => x.Log());
        table["ReduceLogSumExp"] = c => Reduce(c, x => x.Exp(), (x, a) => x.Sum(a, keepDims: true), x => x.Log());
        table["Softmax"] = c => SoftmaxFamily(c, (x, a) => x.Softmax(a));
        table["LogSoftmax"] = c => SoftmaxFamily(c, (x, a) => x.LogSoftmax(a));
        table["MatMul"] = c => MatMul(c, c.Input(0), c.Input(1));
        table["Gemm"] = Gemm;
    }

    /// <summary>before(x) reduced over the axes (all when none are given, unless noop_with_empty_axes), then after; keepdims keeps them as 1.</summary>
    private static Tensor Reduce(OnnxOpContext c, Func<Tensor, Tensor> before, Func<Tensor, int, Tensor> reduce, Func<Tensor, Tensor> after)
    {
        var x = c.Input(0);
        var given = c.Opset >= 18 || c.OpType == "ReduceSum" && c.Opset >= 13 ? c.Longs(1) : c.Attributes.Ints("axes");
        if ((given is null || given.Length == 0) && c.Attributes.Int("noop_with_empty_axes", 0) != 0) return x;
        var axes = given is { Length: > 0 } ? given.Select(a => c.Axis(a, x.Rank)).Distinct().ToArray() : Enumerable.Range(0, x.Rank).ToArray();
        var y = before(x);
        foreach (int axis in axes) y = reduce(y, axis);
        y = after(y);
        if (c.Attributes.Int("keepdims", 1) != 0) return y;
        return y.Reshape(Enumerable.Range(0, x.Rank).Where(a => !axes.Contains(a)).Select(a => x.Shape[a]).ToArray());
    }

    /// <summary>Opset 13 normalizes along one axis (default −1); earlier opsets over all axes from <c>axis</c> on (default 1), as one flattened row.</summary>
    private static Tensor SoftmaxFamily(OnnxOpContext c, Func<Tensor, int, Tensor> softmax)
    {
        var x = c.Input(0);
        if (c.Opset >= 13) return softmax(x, c.Axis(c.Attributes.Int("axis", -1), x.Rank));
        int axis = c.Axis(c.Attributes.Int("axis", 1), x.Rank);
        int outer = x.Shape.Dims[..axis].ToArray().Aggregate(1, (p, d) => p * d);
        return softmax(x.Reshape(outer, -1), 1).Reshape(x.Shape.ToArray());
    }

    /// <summary>numpy's matmul: 1-D operands gain and lose an axis, leading axes broadcast, batches run as 3-D products.</summary>
    private static Tensor MatMul(OnnxOpContext c, Tensor a, Tensor b)
    {
        bool vectorA = a.Rank == 1, vectorB = b.Rank == 1;
        if (vectorA) a = a.Reshape(1, a.Size);
        if (vectorB) b = b.Reshape(b.Size, 1);
        Tensor y;
        if (b.Rank == 2)
        {
            // (..., m, k)·(k, n): one 2-D product over all leading rows.
            int k = a.Shape[-1];
            var rows = a.Reshape(-1, k).MatMul(b);
            y = rows.Reshape([.. a.Shape.Dims[..^1], b.Shape[1]]);
        }
        else
        {
            int rank = Math.Max(a.Rank, b.Rank);
            int[] lead = Shape.Broadcast("matmul", new Shape(Lead(a, rank)), new Shape(Lead(b, rank))).ToArray();
            var a3 = Expand(a, lead).Reshape(-1, a.Shape[-2], a.Shape[-1]);
            var b3 = Expand(b, lead).Reshape(-1, b.Shape[-2], b.Shape[-1]);
            y = a3.MatMul(b3).Reshape([.. lead, a.Shape[-2], b.Shape[-1]]);
        }
        if (vectorA) y = y.Reshape([.. y.Shape.Dims[..^2], y.Shape[-1]]);
        if (vectorB) y = y.Reshape(y.Shape.Dims[..^1].ToArray());
        return y;
    }

    private static int[] Lead(Tensor t, int rank) => [.. Enumerable.Repeat(1, rank - t.Rank), .. t.Shape.Dims[..^2]];

    private static Tensor Expand(Tensor t, int[] lead)
    {
        var target = new Shape([.. lead, t.Shape[-2], t.Shape[-1]]);
        var own = t.Reshape([.. Lead(t, lead.Length + 2), t.Shape[-2], t.Shape[-1]]);
        return own.Shape == target ? own : own.BroadcastTo(target);
    }

    /// <summary>
    /// α·op(A)·op(B) + β·C, C broadcast. The common form, a batch of rows times a weight matrix plus a
    /// bias vector (PyTorch's Linear, Sparta's dense), runs as the dense layer does: one GEMM reading
    /// B as stored (transposed or not) with the bias added in the pass that writes its output.
    /// </summary>
    private static Tensor Gemm(OnnxOpContext c)
    {
        var (a, b, bias) = (c.Input(0), c.Input(1), c.Optional(2));
        bool transposeA = c.Attributes.Int("transA", 0) != 0, transposeB = c.Attributes.Int("transB", 0) != 0;
        float alpha = (float)c.Attributes.Float("alpha", 1), beta = (float)c.Attributes.Float("beta", 1);
        int units = b.Shape[transposeB ? 0 : 1];
        bool biasVector = bias is null || (beta == 1 && bias.Rank >= 1 && bias.Size == units && bias.Shape[-1] == units);
        if (!transposeA && alpha == 1 && biasVector)
            return FusedDense.Apply(a, b, bias?.Reshape(units), BiasActivationKind.Identity, 0f, kernelTransposed: transposeB);
        var y = a.MatMul(b, transposeA, transposeB);
        if (alpha != 1) y *= alpha;
        if (bias is not null) y += beta == 1 ? bias : bias * beta;
        return y;
    }
}
