namespace Sparta.Kernels;

/// <summary>
/// Element-wise work between operands of different shapes under NumPy's broadcasting rules.
/// Shapes are aligned on the right; a dimension of 1 repeats along the other operand's dimension.
/// Adjacent dimensions that are laid out alike are merged, so the inner loop always runs
/// <see cref="Elementwise"/>'s vector driver over the longest contiguous rows there are.
/// </summary>
internal static class ElementwiseBroadcast
{
    /// <summary>result = op(x, y) with x and y broadcast to the result's dimensions.</summary>
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<int> xDims, ReadOnlySpan<float> y, ReadOnlySpan<int> yDims,
        Span<float> result, ReadOnlySpan<int> resultDims) where TOp : struct, IBinaryOperator
    {
        var loop = new BroadcastLoop(resultDims, xDims, yDims, stackalloc int[4 * resultDims.Length + 4]);
        if (loop.Count == 0) return;
        int inner = loop.Inner;
        do
        {
            var xRow = x.Slice(loop.FirstOffset, loop.FirstInnerStride == 1 ? inner : 1);
            var yRow = y.Slice(loop.SecondOffset, loop.SecondInnerStride == 1 ? inner : 1);
            Elementwise.Map(op, xRow, yRow, result.Slice(loop.ResultOffset, inner));
        } while (loop.MoveNext());
    }

    /// <summary>
    /// Sums <paramref name="source"/> down to <paramref name="target"/>'s dimensions, which must
    /// broadcast to the source's: the reverse of broadcasting, used for gradients. Overwrites target.
    /// Always adds in the source's row-major order, so the result never depends on threads.
    /// </summary>
    public static void SumTo(ReadOnlySpan<float> source, ReadOnlySpan<int> sourceDims, Span<float> target, ReadOnlySpan<int> targetDims)
    {
        target.Clear();
        var loop = new BroadcastLoop(sourceDims, targetDims, sourceDims, stackalloc int[4 * sourceDims.Length + 4]);
        if (loop.Count == 0) return;
        int inner = loop.Inner;
        do
        {
            var row = source.Slice(loop.ResultOffset, inner);
            if (loop.FirstInnerStride == 1)
            {
                var targetRow = target.Slice(loop.FirstOffset, inner);
                Elementwise.Map(new AddOperator(), targetRow, row, targetRow);
            }
            else
            {
                target[loop.FirstOffset] += Reduce.Sum(row);
            }
        } while (loop.MoveNext());
    }

    /// <summary>Writes <paramref name="source"/> repeated along the broadcast dimensions of <paramref name="target"/>.</summary>
    public static void BroadcastTo(ReadOnlySpan<float> source, ReadOnlySpan<int> sourceDims, Span<float> target, ReadOnlySpan<int> targetDims)
    {
        var loop = new BroadcastLoop(targetDims, sourceDims, sourceDims, stackalloc int[4 * targetDims.Length + 4]);
        if (loop.Count == 0) return;
        int inner = loop.Inner;
        do
        {
            var row = target.Slice(loop.ResultOffset, inner);
            if (loop.FirstInnerStride == 1) source.Slice(loop.FirstOffset, inner).CopyTo(row);
            else row.Fill(source[loop.FirstOffset]);
        } while (loop.MoveNext());
    }

    /// <summary>The dimensions two shapes broadcast to, or null when they disagree.</summary>
    public static int[]? BroadcastDims(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = DimFromRight(a, rank - 1 - i), db = DimFromRight(b, rank - 1 - i);
            if (da != db && da != 1 && db != 1) return null;
            dims[i] = da == 1 ? db : da;
        }
        return dims;
    }

    internal static int DimFromRight(ReadOnlySpan<int> dims, int fromRight)
        => fromRight < dims.Length ? dims[dims.Length - 1 - fromRight] : 1;
}

/// <summary>
/// Walks the rows of a broadcast: offsets of the result and of two operands whose dimensions
/// broadcast to the result's. Dimensions are merged where possible; the last merged dimension
/// is the row (<see cref="Inner"/>), which each operand reads either contiguously (stride 1) or
/// as one repeated value (stride 0).
/// </summary>
internal ref struct BroadcastLoop
{
    private readonly Span<int> _dims, _firstStrides, _secondStrides, _index;
    private readonly int _rank;
    private int _rows;

    public BroadcastLoop(ReadOnlySpan<int> resultDims, ReadOnlySpan<int> firstDims, ReadOnlySpan<int> secondDims, Span<int> scratch)
    {
        int rank = resultDims.Length;
        if (firstDims.Length > rank || secondDims.Length > rank)
            throw new ArgumentException($"broadcast: an operand has more dimensions than the result ({rank})");
        _dims = scratch.Slice(0, rank + 1);
        _firstStrides = scratch.Slice(rank + 1, rank + 1);
        _secondStrides = scratch.Slice(2 * rank + 2, rank + 1);
        _index = scratch.Slice(3 * rank + 3, rank + 1);
        _index.Clear();

        int merged = 0, firstStride = 1, secondStride = 1;
        Count = 1;
        // From the last dimension to the first, computing row-major strides and merging each
        // dimension into the previous one when both operands continue contiguously (or repeat).
        for (int i = rank - 1; i >= 0; i--)
        {
            int d = resultDims[i];
            Count *= d;
            int fd = BroadcastDim("first", firstDims, rank - 1 - i, d, resultDims);
            int sd = BroadcastDim("second", secondDims, rank - 1 - i, d, resultDims);
            if (d == 1) continue;
            int fs = fd == 1 ? 0 : firstStride, ss = sd == 1 ? 0 : secondStride;
            firstStride *= fd;
            secondStride *= sd;
            if (merged > 0 && _firstStrides[merged - 1] * _dims[merged - 1] == fs && _secondStrides[merged - 1] * _dims[merged - 1] == ss)
            {
                _dims[merged - 1] *= d;
                continue;
            }
            _dims[merged] = d;
            _firstStrides[merged] = fs;
            _secondStrides[merged] = ss;
            merged++;
        }
        if (merged == 0) { _dims[0] = 1; _firstStrides[0] = 0; _secondStrides[0] = 0; merged = 1; }
        // Stored innermost first; the row is dimension 0.
        _rank = merged;
        Inner = _dims[0];
        FirstInnerStride = _firstStrides[0] == 1 ? 1 : 0;
        SecondInnerStride = _secondStrides[0] == 1 ? 1 : 0;
        _rows = Count == 0 ? 0 : Count / Inner;
    }

    /// <summary>Number of result values.</summary>
    public int Count { get; }
    public int Inner { get; }
    public int FirstInnerStride { get; }
    public int SecondInnerStride { get; }
    public int ResultOffset { get; private set; }
    public int FirstOffset { get; private set; }
    public int SecondOffset { get; private set; }

    /// <summary>Moves to the next row; false after the last.</summary>
    public bool MoveNext()
    {
        if (--_rows <= 0) return false;
        ResultOffset += Inner;
        for (int d = 1; d < _rank; d++)
        {
            FirstOffset += _firstStrides[d];
            SecondOffset += _secondStrides[d];
            if (++_index[d] < _dims[d]) return true;
            FirstOffset -= _firstStrides[d] * _dims[d];
            SecondOffset -= _secondStrides[d] * _dims[d];
            _index[d] = 0;
        }
        return true;
    }

    private static int BroadcastDim(string operand, ReadOnlySpan<int> dims, int fromRight, int resultDim, ReadOnlySpan<int> resultDims)
    {
        int d = ElementwiseBroadcast.DimFromRight(dims, fromRight);
        if (d != resultDim && d != 1)
            throw new ArgumentException($"broadcast: {operand} operand ({string.Join(", ", dims.ToArray())}) does not broadcast to ({string.Join(", ", resultDims.ToArray())})");
        return d;
    }
}
