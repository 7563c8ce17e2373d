namespace Sparta.Tensors;

/// <summary>The dimensions of a row-major tensor. Immutable; compares by value.</summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dims;

    public Shape(params int[] dims)
    {
        long size = 1;
        foreach (int d in dims)
        {
            if (d < 0) throw new ArgumentException($"shape: dimensions must be non-negative, got ({string.Join(", ", dims)})");
            size *= d;
        }
        if (size > int.MaxValue) throw new ArgumentException($"shape: ({string.Join(", ", dims)}) holds more than {int.MaxValue} values");
        _dims = (int[])dims.Clone();
        Size = (int)size;
    }

    /// <summary>The shape of a scalar, ().</summary>
    internal static Shape Scalar { get; } = new();

    /// <summary>Shapes asked for by <see cref="Of"/> on this thread, each made once.</summary>
    [ThreadStatic] private static HashSet<Shape>? _made;

    /// <summary>More distinct shapes than a network's step uses; past it the set starts again.</summary>
    private const int MadeLimit = 4096;

    /// <summary>
    /// The shape of these dimensions, made on the first request of the thread and the same object after: an op
    /// names its output's shape every training step without allocating one (shapes compare by value, so
    /// sharing one is safe).
    /// </summary>
    internal static Shape Of(ReadOnlySpan<int> dims)
    {
        var made = _made ??= new HashSet<Shape>(DimsComparer.Instance);
        var lookup = made.GetAlternateLookup<ReadOnlySpan<int>>();
        if (lookup.TryGetValue(dims, out var shape)) return shape;
        if (made.Count >= MadeLimit) made.Clear();
        shape = new Shape(dims.ToArray());
        made.Add(shape);
        return shape;
    }

    /// <summary>This shape with the dimension at <paramref name="axis"/> (negative from the end) set to <paramref name="value"/>.</summary>
    internal Shape With(int axis, int value)
    {
        Span<int> dims = stackalloc int[Rank];
        _dims.CopyTo(dims);
        dims[Axis(axis)] = value;
        return Of(dims);
    }

    /// <summary>Compares shapes by their dimensions, and looks one up by a span of them.</summary>
    private sealed class DimsComparer : IEqualityComparer<Shape>, IAlternateEqualityComparer<ReadOnlySpan<int>, Shape>
    {
        public static readonly DimsComparer Instance = new();

        public bool Equals(Shape? x, Shape? y) => x == y;
        public int GetHashCode(Shape shape) => Hash(shape._dims);
        public bool Equals(ReadOnlySpan<int> dims, Shape shape) => dims.SequenceEqual(shape._dims);
        public int GetHashCode(ReadOnlySpan<int> dims) => Hash(dims);
        public Shape Create(ReadOnlySpan<int> dims) => new(dims.ToArray());
    }

    private static int Hash(ReadOnlySpan<int> dims)
    {
        var hash = new HashCode();
        foreach (int d in dims) hash.Add(d);
        return hash.ToHashCode();
    }

    public int Rank => _dims.Length;

    /// <summary>Number of values.</summary>
    public int Size { get; }

    public int this[int axis] => _dims[Axis(axis)];

    public ReadOnlySpan<int> Dims => _dims;

    public int[] ToArray() => (int[])_dims.Clone();

    /// <summary>Resolves a negative axis (-1 = last) and checks the range.</summary>
    public int Axis(int axis)
    {
        int resolved = axis < 0 ? axis + Rank : axis;
        if (resolved < 0 || resolved >= Rank) throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} is out of range for shape {this}");
        return resolved;
    }

    /// <summary>Product of the dimensions from <paramref name="axis"/> on (the row-major stride of axis-1).</summary>
    public int SizeFrom(int axis)
    {
        int size = 1;
        for (int i = axis; i < Rank; i++) size *= _dims[i];
        return size;
    }

    /// <summary>The shape with <paramref name="axis"/> removed, or set to 1 when <paramref name="keepDims"/>.</summary>
    public Shape Reduced(int axis, bool keepDims)
    {
        int resolved = Axis(axis);
        var dims = new List<int>(_dims);
        if (keepDims) dims[resolved] = 1; else dims.RemoveAt(resolved);
        return new Shape(dims.ToArray());
    }

    /// <summary>The shape two operands broadcast to under NumPy's rules; an error names the op and both shapes.</summary>
    public static Shape Broadcast(string op, Shape a, Shape b)
    {
        if (a == b) return a;
        var dims = Kernels.ElementwiseBroadcast.BroadcastDims(a.Dims, b.Dims)
            ?? throw new ArgumentException($"{op}: shapes {a} and {b} do not broadcast");
        return new Shape(dims);
    }

    /// <summary>Whether values of this shape broadcast to <paramref name="target"/> without changing it.</summary>
    public bool BroadcastsTo(Shape target)
    {
        if (Rank > target.Rank) return false;
        for (int i = 1; i <= Rank; i++)
            if (_dims[Rank - i] != 1 && _dims[Rank - i] != target._dims[target.Rank - i]) return false;
        return true;
    }

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    public override bool Equals(object? obj) => Equals(obj as Shape);
    public override int GetHashCode() => Hash(_dims);

    public override string ToString() => "(" + string.Join(", ", _dims) + ")";

    public static bool operator ==(Shape? left, Shape? right) => left is null ? right is null : left.Equals(right);
    public static bool operator !=(Shape? left, Shape? right) => !(left == right);
}
