using Sparta.Tensors;

namespace Sparta.Tests.Tensors;

/// <summary>Tensor operations against index-by-index loops written here from NumPy's definitions.</summary>
public class TensorMathTests
{
    public static TheoryData<int[], int[]> BroadcastPairs => new()
    {
        { [2, 3], [2, 3] },
        { [2, 3], [3] },
        { [2, 3], [2, 1] },
        { [4, 1, 3], [5, 1] },
        { [1], [3, 17] },
        { [], [2, 2] },
        { [2, 1, 3, 1], [1, 4, 1, 5] },
        { [3, 0], [1] },
    };

    [Theory, MemberData(nameof(BroadcastPairs))]
    public void BroadcastArithmeticMatchesNaiveIndexing(int[] aDims, int[] bDims)
    {
        var a = Random(aDims, 1);
        var b = Random(bDims, 2);
        var expectedDims = NaiveBroadcastDims(aDims, bDims);
        foreach (var (op, f) in new (Func<Tensor, Tensor, Tensor>, Func<float, float, float>)[]
                 {
                     ((x, y) => TensorMath.Add(x, y), (x, y) => x + y),
                     ((x, y) => TensorMath.Subtract(x, y), (x, y) => x - y),
                     ((x, y) => TensorMath.Multiply(x, y), (x, y) => x * y),
                     ((x, y) => TensorMath.Divide(x, y), (x, y) => x / y),
                     ((x, y) => TensorMath.Maximum(x, y), (x, y) => x >= y ? x : y),
                 })
        {
            var result = op(a, b);
            Assert.Equal(expectedDims, result.Shape.ToArray());
            var values = result.ToArray();
            for (int i = 0; i < values.Length; i++)
            {
                var index = Unravel(i, expectedDims);
                Assert.Equal(f(a.Span[Ravel(index, aDims)], b.Span[Ravel(index, bDims)]), values[i]);
            }
        }
    }

    [Theory, MemberData(nameof(BroadcastPairs))]
    public void SumToReversesBroadcast(int[] aDims, int[] bDims)
    {
        var big = NaiveBroadcastDims(aDims, bDims);
        var g = Random(big, 3);
        var summed = TensorMath.SumTo(g, new Shape(aDims));
        var expected = new double[new Shape(aDims).Size];
        for (int i = 0; i < g.Size; i++) expected[Ravel(Unravel(i, big), aDims)] += g.Span[i];
        Assert.Equal(aDims, summed.Shape.ToArray());
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], summed.Span[i], 1e-4);

        var broadcast = TensorMath.BroadcastTo(summed, new Shape(big));
        for (int i = 0; i < broadcast.Size; i++) Assert.Equal(summed.Span[Ravel(Unravel(i, big), aDims)], broadcast.Span[i]);
    }

    [Fact]
    public void ShapeMismatchNamesTheOpAndBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => TensorMath.Multiply(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Equal("mul: shapes (2, 3) and (3, 2) do not broadcast", e.Message);
        e = Assert.Throws<ArgumentException>(() => TensorMath.Add(Tensor.Zeros(4), Tensor.Zeros(3)));
        Assert.Contains("add: shapes (4) and (3)", e.Message);
    }

    [Fact]
    public void ResultOfTheWrongShapeIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => TensorMath.Add(Tensor.Zeros(2, 3), Tensor.Zeros(3), Tensor.Zeros(3, 2)));
        Assert.Equal("add: result has shape (3, 2), expected (2, 3)", e.Message);
    }

    [Fact]
    public void ResultBufferIsWrittenInPlace()
    {
        var a = Random([5, 7], 4);
        var result = Tensor.Zeros(5, 7);
        Assert.Same(result, TensorMath.Relu(a, result));
        Assert.Equal(a.ToArray().Select(v => MathF.Max(v, 0)), result.ToArray());
    }

    [Fact]
    public void UnaryFunctionsMatchMathF()
    {
        var x = Random([3, 11], 5);
        var positive = TensorMath.Abs(x);
        Check(TensorMath.Negate(x), x, v => -v);
        Check(positive, x, MathF.Abs);
        Check(TensorMath.Sqrt(positive), positive, MathF.Sqrt);
        Check(TensorMath.Log(positive), positive, MathF.Log);
        Check(TensorMath.Exp(x), x, MathF.Exp);
        Check(TensorMath.Tanh(x), x, MathF.Tanh);
        Check(TensorMath.Sigmoid(x), x, v => 1 / (1 + MathF.Exp(-v)));
        Check(TensorMath.Pow(positive, 1.7f), positive, v => MathF.Pow(v, 1.7f));
        Check(TensorMath.Clamp(x, -0.3f, 0.4f), x, v => Math.Clamp(v, -0.3f, 0.4f));
        Check(TensorMath.Add(x, 2.5f), x, v => v + 2.5f);
        Check(TensorMath.Subtract(x, 2.5f), x, v => v - 2.5f);
        Check(TensorMath.Multiply(x, -3f), x, v => v * -3f);
        Check(TensorMath.Divide(x, 7f), x, v => v / 7f);
        Assert.Contains("clamp: min (2) must not exceed max (1)", Assert.Throws<ArgumentException>(() => TensorMath.Clamp(x, 2, 1)).Message);
    }

    [Fact]
    public void AxisReductionsMatchLoops()
    {
        var x = Random([2, 3, 4], 6);
        for (int axis = -3; axis < 3; axis++)
        {
            var sum = TensorMath.Sum(x, axis);
            var mean = TensorMath.Mean(x, axis, keepDims: true);
            var max = TensorMath.Max(x, axis);
            var argmax = TensorMath.ArgMax(x, axis);
            int a = (axis + 3) % 3;
            var reducedDims = new[] { 2, 3, 4 }.Where((_, i) => i != a).ToArray();
            Assert.Equal(reducedDims, sum.Shape.ToArray());
            Assert.Equal(3, mean.Rank);
            for (int r = 0; r < sum.Size; r++)
            {
                var index = Unravel(r, reducedDims).ToList();
                index.Insert(a, 0);
                var values = Enumerable.Range(0, x.Shape[a]).Select(k => { index[a] = k; return x.Span[Ravel([.. index], [2, 3, 4])]; }).ToArray();
                Assert.Equal(values.Sum(), sum.Span[r], 1e-5f);
                Assert.Equal(values.Average(), mean.Span[r], 1e-5f);
                Assert.Equal(values.Max(), max.Span[r]);
                Assert.Equal(Array.IndexOf(values, values.Max()), argmax[r]);
            }
        }
        Assert.Equal(x.ToArray().Sum(), TensorMath.Sum(x).Item(), 1e-4f);
        Assert.Equal(x.ToArray().Average(), TensorMath.Mean(x).Item(), 1e-5f);
        Assert.Equal(x.ToArray().Max(), TensorMath.Max(x).Item());
        Assert.Equal(Array.IndexOf(x.ToArray(), x.ToArray().Max()), TensorMath.ArgMax(x));
        Assert.Contains("axis 3 is out of range for shape (2, 3, 4)", Assert.Throws<ArgumentOutOfRangeException>(() => TensorMath.Sum(x, 3)).Message);
    }

    [Theory]
    [InlineData(false, false)] [InlineData(true, false)] [InlineData(false, true)] [InlineData(true, true)]
    public void MatMulMatchesLoops(bool transposeA, bool transposeB)
    {
        const int batch = 2, m = 3, k = 5, n = 4;
        var a = Random(transposeA ? [batch, k, m] : [batch, m, k], 7);
        var b = Random(transposeB ? [batch, n, k] : [batch, k, n], 8);
        var shared = b.Slice(1, 1).Reshape(b.Shape[1], b.Shape[2]);
        var batched = TensorMath.MatMul(a, b, transposeA, transposeB);
        var broadcast = TensorMath.MatMul(a, shared, transposeA, transposeB);
        var single = TensorMath.MatMul(a.Slice(1, 1).Reshape(a.Shape[1], a.Shape[2]), shared, transposeA, transposeB);
        float A(int s, int i, int p) => transposeA ? a.Span[(s * k + p) * m + i] : a.Span[(s * m + i) * k + p];
        float B(int s, int p, int j) => transposeB ? b.Span[(s * n + j) * k + p] : b.Span[(s * k + p) * n + j];
        for (int s = 0; s < batch; s++)
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double expected = 0, expectedShared = 0;
            for (int p = 0; p < k; p++) { expected += A(s, i, p) * B(s, p, j); expectedShared += A(s, i, p) * B(1, p, j); }
            Assert.Equal(expected, batched.Span[(s * m + i) * n + j], 1e-4);
            Assert.Equal(expectedShared, broadcast.Span[(s * m + i) * n + j], 1e-4);
            if (s == 1) Assert.Equal(expectedShared, single.Span[i * n + j], 1e-4);
        }
        var e = Assert.Throws<ArgumentException>(() => TensorMath.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3)));
        Assert.Equal("matmul: shapes (2, 3) and (2, 3) do not agree", e.Message);
    }

    [Fact]
    public void PermuteMovesEveryValueToItsPermutedIndex()
    {
        var x = Random([2, 3, 4], 9);
        int[] sourceDims = [2, 3, 4];
        foreach (int[] permutation in new[] { new[] { 2, 0, 1 }, [1, 0, 2], [0, 2, 1], [0, 1, 2], [-1, 0, 1] })
        {
            var permuted = TensorMath.Permute(x, permutation);
            var axesResolved = permutation.Select(a => (a + 3) % 3).ToArray();
            var dims = axesResolved.Select(a => sourceDims[a]).ToArray();
            Assert.Equal(dims, permuted.Shape.ToArray());
            for (int i = 0; i < permuted.Size; i++)
            {
                var index = Unravel(i, dims);
                var source = new int[3];
                for (int d = 0; d < 3; d++) source[axesResolved[d]] = index[d];
                Assert.Equal(x.Span[Ravel(source, sourceDims)], permuted.Span[i]);
            }
        }
        var y = TensorMath.Permute(x, [2, 0, 1]);
        Assert.Equal(x.ToArray(), TensorMath.Permute(y, [1, 2, 0]).ToArray());
        Assert.Contains("not a permutation", Assert.Throws<ArgumentException>(() => TensorMath.Permute(x, [0, 0, 1])).Message);
        var m = Random([3, 5], 10);
        Assert.Equal(m.ToArray(), TensorMath.Transpose(TensorMath.Transpose(m)).ToArray());
    }

    [Fact]
    public void ConcatThenNarrowGivesThePiecesBack()
    {
        var a = Random([2, 3, 2], 11);
        var b = Random([2, 1, 2], 12);
        var joined = TensorMath.Concat([a, b], axis: 1);
        Assert.Equal([2, 4, 2], joined.Shape.ToArray());
        Assert.Equal(a.ToArray(), TensorMath.Narrow(joined, 1, 0, 3).ToArray());
        Assert.Equal(b.ToArray(), TensorMath.Narrow(joined, 1, 3, 1).ToArray());
        Assert.Equal(x(joined, [1, 3, 1]), x(b, [1, 0, 1]));
        var padded = TensorMath.Unnarrow(b, joined.Shape, 1, 3);
        Assert.Equal(joined.ToArray().Select((v, i) => Unravel(i, [2, 4, 2])[1] == 3 ? v : 0f), padded.ToArray());
        Assert.Contains("concat: shapes (2, 3, 2) and (3, 1, 2) differ outside axis 1",
            Assert.Throws<ArgumentException>(() => TensorMath.Concat([a, Tensor.Zeros(3, 1, 2)], 1)).Message);
        Assert.Contains("narrow: [2, 5) is out of range", Assert.Throws<ArgumentOutOfRangeException>(() => TensorMath.Narrow(a, 1, 2, 3)).Message);

        static float x(Tensor t, int[] index) => t.Span[Ravel(index, t.Shape.ToArray())];
    }

    [Fact]
    public void GatherAndScatterAddRowsAreAdjoint()
    {
        var table = Random([4, 3], 13);
        int[] indices = [2, 0, 2];
        var rows = TensorMath.GatherRows(table, indices);
        for (int i = 0; i < indices.Length; i++)
            Assert.Equal(table.ToArray().AsSpan(indices[i] * 3, 3).ToArray(), rows.ToArray().AsSpan(i * 3, 3).ToArray());
        // <gather(t), g> = <t, scatter(g)> for any t and g.
        var g = Random([3, 3], 14);
        var scattered = TensorMath.ScatterAddRows(g, indices, table.Shape);
        double left = rows.ToArray().Zip(g.ToArray(), (p, q) => (double)p * q).Sum();
        double right = table.ToArray().Zip(scattered.ToArray(), (p, q) => (double)p * q).Sum();
        Assert.Equal(left, right, 1e-4);
        Assert.Contains("index 4 is out of range for 4 rows", Assert.Throws<ArgumentOutOfRangeException>(() => TensorMath.GatherRows(table, [4])).Message);
    }

    [Fact]
    public void WhereSelectsByCondition()
    {
        var c = Tensor.FromArray([1, 0, 2, 0], 4);
        var result = TensorMath.Where(c, Tensor.FromArray([1, 2, 3, 4], 4), Tensor.FromArray([5, 6, 7, 8], 4));
        Assert.Equal([1f, 6, 3, 8], result.ToArray());
    }

    internal static Tensor Random(int[] dims, ulong seed)
    {
        var t = Tensor.Zeros(dims);
        new RandomGenerator(seed).FillUniform(t.Span, -2, 2);
        return t;
    }

    private static int[] NaiveBroadcastDims(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        return Enumerable.Range(0, rank).Select(i =>
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            return da == 1 ? db : da;
        }).ToArray();
    }

    private static int[] Unravel(int flat, int[] dims)
    {
        var index = new int[dims.Length];
        for (int d = dims.Length - 1; d >= 0; d--) { index[d] = flat % dims[d]; flat /= dims[d]; }
        return index;
    }

    /// <summary>Flat offset in an array of <paramref name="dims"/> of a (possibly longer) broadcast index.</summary>
    private static int Ravel(int[] index, int[] dims)
    {
        int offset = 0, skip = index.Length - dims.Length;
        for (int d = 0; d < dims.Length; d++) offset = offset * dims[d] + (dims[d] == 1 ? 0 : index[skip + d]);
        return offset;
    }

    private static void Check(Tensor actual, Tensor x, Func<float, float> f)
    {
        for (int i = 0; i < x.Size; i++)
            Assert.True(MathF.Abs(f(x.Span[i]) - actual.Span[i]) <= 1e-5f * MathF.Max(1, MathF.Abs(f(x.Span[i]))), $"index {i}: expected {f(x.Span[i])}, got {actual.Span[i]}");
    }
}
