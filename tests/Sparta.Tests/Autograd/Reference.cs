namespace Sparta.Tests.Autograd;

/// <summary>
/// A double-precision tensor with the reference forward of every op, written as plain loops over
/// indices straight from the definitions, independently of the library's kernels.
/// </summary>
public sealed record Reference(double[] Data, int[] Dims)
{
    public int Size => Data.Length;

    public static Reference Scalar(double value) => new([value], []);

    public Reference Map(Func<double, double> f) => new(Data.Select(f).ToArray(), Dims);

    /// <summary>f(a, b) under NumPy broadcasting.</summary>
    public static Reference Zip(Reference a, Reference b, Func<double, double, double> f)
    {
        int rank = Math.Max(a.Dims.Length, b.Dims.Length);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = DimFromLeft(a.Dims, rank, i), db = DimFromLeft(b.Dims, rank, i);
            dims[i] = da == 1 ? db : da;
        }
        var data = new double[Count(dims)];
        for (int i = 0; i < data.Length; i++)
        {
            var index = Unravel(i, dims);
            data[i] = f(a.Data[Ravel(index, a.Dims)], b.Data[Ravel(index, b.Dims)]);
        }
        return new(data, dims);
    }

    public Reference Sum()
    {
        double sum = 0;
        foreach (double v in Data) sum += v;
        return Scalar(sum);
    }

    public Reference Sum(int axis, bool keepDims) => Fold(axis, keepDims, values => values.Sum());
    public Reference Max(int axis, bool keepDims) => Fold(axis, keepDims, values => values.Max());

    public Reference Reshape(params int[] dims) => new(Data, dims);

    public Reference BroadcastTo(int[] dims) => Zip(this, new Reference(new double[Count(dims)], dims), (x, _) => x);

    public Reference Permute(int[] axes)
    {
        var dims = axes.Select(a => Dims[a]).ToArray();
        var data = new double[Size];
        for (int i = 0; i < Size; i++)
        {
            var index = Unravel(i, dims);
            var source = new int[Dims.Length];
            for (int d = 0; d < axes.Length; d++) source[axes[d]] = index[d];
            data[i] = Data[Ravel(source, Dims)];
        }
        return new(data, dims);
    }

    /// <summary>op(a)·op(b) for 2-D·2-D, 3-D·3-D and 3-D·2-D.</summary>
    public static Reference MatMul(Reference a, Reference b, bool transposeA, bool transposeB)
    {
        bool batched = a.Dims.Length == 3;
        int batch = batched ? a.Dims[0] : 1;
        int ar = a.Dims[^2], ac = a.Dims[^1], br = b.Dims[^2], bc = b.Dims[^1];
        int m = transposeA ? ac : ar, k = transposeA ? ar : ac, n = transposeB ? br : bc;
        double A(int s, int i, int p) => a.Data[s * ar * ac + (transposeA ? p * ac + i : i * ac + p)];
        double B(int s, int p, int j) => b.Data[(b.Dims.Length == 3 ? s * br * bc : 0) + (transposeB ? j * bc + p : p * bc + j)];
        var data = new double[batch * m * n];
        for (int s = 0; s < batch; s++)
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            for (int p = 0; p < k; p++) data[(s * m + i) * n + j] += A(s, i, p) * B(s, p, j);
        return new(data, batched ? [batch, m, n] : [m, n]);
    }

    public static Reference Concat(Reference[] parts, int axis)
    {
        var dims = (int[])parts[0].Dims.Clone();
        dims[axis] = parts.Sum(p => p.Dims[axis]);
        var data = new double[Count(dims)];
        for (int i = 0; i < data.Length; i++)
        {
            var index = Unravel(i, dims);
            int part = 0;
            while (index[axis] >= parts[part].Dims[axis]) index[axis] -= parts[part++].Dims[axis];
            data[i] = parts[part].Data[Ravel(index, parts[part].Dims)];
        }
        return new(data, dims);
    }

    public Reference Narrow(int axis, int start, int length)
    {
        var dims = (int[])Dims.Clone();
        dims[axis] = length;
        var data = new double[Count(dims)];
        for (int i = 0; i < data.Length; i++)
        {
            var index = Unravel(i, dims);
            index[axis] += start;
            data[i] = Data[Ravel(index, Dims)];
        }
        return new(data, dims);
    }

    public Reference GatherRows(int[] rows)
    {
        int width = Size / Dims[0];
        var dims = (int[])Dims.Clone();
        dims[0] = rows.Length;
        return new(rows.SelectMany(r => Data.Skip(r * width).Take(width)).ToArray(), dims);
    }

    public static Reference Where(double[] condition, Reference a, Reference b)
        => new(a.Data.Select((v, i) => condition[i] != 0 ? v : b.Data[i]).ToArray(), a.Dims);

    /// <summary>log softmax over the last axis, straight from the definition.</summary>
    public Reference LogSoftmax()
    {
        int width = Dims[^1];
        var data = new double[Size];
        for (int row = 0; row < Size / width; row++)
        {
            double logSum = Math.Log(Data.Skip(row * width).Take(width).Sum(Math.Exp));
            for (int j = 0; j < width; j++) data[row * width + j] = Data[row * width + j] - logSum;
        }
        return new(data, Dims);
    }

    private Reference Fold(int axis, bool keepDims, Func<IEnumerable<double>, double> fold)
    {
        int a = axis < 0 ? axis + Dims.Length : axis;
        var dims = (int[])Dims.Clone();
        dims[a] = 1;
        var data = new double[Count(dims)];
        for (int i = 0; i < data.Length; i++)
        {
            var index = Unravel(i, dims);
            data[i] = fold(Enumerable.Range(0, Dims[a]).Select(k => { index[a] = k; return Data[Ravel(index, Dims)]; }).ToArray());
        }
        return new(data, keepDims ? dims : dims.Where((_, d) => d != a).ToArray());
    }

    private static int DimFromLeft(int[] dims, int rank, int i) => i - (rank - dims.Length) >= 0 ? dims[i - (rank - dims.Length)] : 1;

    private static int Count(int[] dims) => dims.Aggregate(1, (p, d) => p * d);

    private static int[] Unravel(int flat, int[] dims)
    {
        var index = new int[dims.Length];
        for (int d = dims.Length - 1; d >= 0; d--) { index[d] = flat % dims[d]; flat /= dims[d]; }
        return index;
    }

    /// <summary>Offset in an array of <paramref name="dims"/> of an index aligned on the right; dimensions of 1 repeat.</summary>
    private static int Ravel(int[] index, int[] dims)
    {
        int offset = 0, skip = index.Length - dims.Length;
        for (int d = 0; d < dims.Length; d++) offset = offset * dims[d] + (dims[d] == 1 ? 0 : index[skip + d]);
        return offset;
    }
}
