using Sparta.Autograd;

namespace Sparta.Tensors;

/// <summary>
/// A float32, row-major, contiguous tensor: a shape over a window of a storage. Reshape and
/// batch slices are views that share the storage.
/// </summary>
public sealed partial class Tensor
{
    // Set again only when a pool lends this object for a new tensor (see Make).
    private TensorStorage _storage;
    private int _offset;

    // The storage's lending when this tensor (or the tensor it is a view of) was made over it: a pool lends a storage
    // object again once it is given back, and a tensor left over from before must not give back the new loan.
    private int _loan;

    private Tensor(TensorStorage storage, int offset, Shape shape, bool ownsStorage)
    {
        _storage = storage;
        _offset = offset;
        Shape = shape;
        OwnsStorage = ownsStorage;
    }

    /// <summary>
    /// A tensor over this window of a storage: while a <see cref="TensorPool"/> is in use, an object a backward pass
    /// gave back to it once nothing could read it any more (see <see cref="TensorPool.ReturnObject"/>), else a new one.
    /// <paramref name="loan"/>: the storage's lending the new tensor belongs to (a view's is its source's).
    /// </summary>
    private static Tensor Make(TensorStorage storage, int offset, Shape shape, int loan, bool ownsStorage = false)
    {
        if (TensorPool.Current is not { } pool) return new Tensor(storage, offset, shape, ownsStorage) { _loan = loan };
        var tensor = pool.TakeTensor();
        if (tensor is null) tensor = new Tensor(storage, offset, shape, ownsStorage);
        else
        {
            // Every field a tensor's use sets, back to a new tensor's value.
            (tensor._storage, tensor._offset, tensor.Shape, tensor.OwnsStorage) = (storage, offset, shape, ownsStorage);
            (tensor._requiresGrad, tensor.Grad, tensor.Node) = (false, null, null);
            (tensor.SoftmaxLogits, tensor.SigmoidLogits) = (null, null);
        }
        tensor._loan = loan;
        tensor.Lease = pool.Lease;
        return tensor;
    }

    /// <summary>A tensor that owns <paramref name="storage"/>, just taken.</summary>
    private static Tensor Owning(TensorStorage storage, Shape shape) => Make(storage, 0, shape, storage.Loan, ownsStorage: true);

    /// <summary>Whether the storage is still lent for this tensor's values, not given back and lent again for another tensor's.</summary>
    internal bool HoldsItsLoan => _loan == _storage.Loan;

    /// <summary>The buffer under this tensor (shared with its views).</summary>
    internal TensorStorage Storage => _storage;

    /// <summary>Whether the buffer was made for this tensor (all of it), not for another one this tensor is a view of.</summary>
    internal bool OwnsStorage { get; private set; }

    /// <summary>The pool lease this object was lent under (0: made outside a pool, or kept); whether a backward gave it back.</summary>
    internal long Lease { get; set; }
    internal bool IsSpent { get; set; }

    /// <summary>How many of a backward pass's pending gradients this object is (it may stand for several inputs).</summary>
    internal int PendingUses { get; set; }

    public Shape Shape { get; private set; }

    public int Size => Shape.Size;

    public int Rank => Shape.Rank;

    public Span<float> Span => _storage.Span.Slice(_offset, Shape.Size);

    /// <summary>The first value's address; valid while this tensor (and so its storage) is alive.</summary>
    public unsafe float* Pointer => _storage.Pointer + _offset;

    public static Tensor Zeros(params int[] shape) => Zeros(new Shape(shape));

    public static Tensor Zeros(Shape shape) => Owning(TensorArena.Allocate(shape.Size, clear: true), shape);

    /// <summary>A tensor whose values are not cleared: only for buffers that are fully overwritten.</summary>
    public static Tensor Uninitialized(Shape shape) => Owning(TensorArena.Allocate(shape.Size, clear: false), shape);

    public static Tensor Full(float value, params int[] shape) => Full(value, new Shape(shape));

    public static Tensor Full(float value, Shape shape)
    {
        var t = Uninitialized(shape);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A rank-0 tensor holding one value (broadcasts against any shape).</summary>
    public static Tensor Scalar(float value) => Full(value, Shape.Scalar);

    /// <summary>The value of a one-element tensor.</summary>
    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"item: tensor of shape {Shape} holds {Size} values, not 1");
        return Span[0];
    }

    /// <summary>A new tensor with the same shape and values (no tape history).</summary>
    public Tensor Clone()
    {
        var t = Uninitialized(Shape);
        Span.CopyTo(t.Span);
        return t;
    }

    /// <summary>Copies <paramref name="values"/> into a new tensor of the given shape.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> values, params int[] shape)
    {
        var s = new Shape(shape);
        if (values.Length != s.Size)
            throw new ArgumentException($"tensor: shape {s} needs {s.Size} values, got {values.Length}");
        var t = Uninitialized(s);
        values.CopyTo(t.Span);
        return t;
    }

    public float[] ToArray() => Span.ToArray();

    /// <summary>
    /// A view with another shape of the same size; one dimension may be -1 (inferred). Recorded on
    /// the tape, so gradients flow through it.
    /// </summary>
    public Tensor Reshape(params ReadOnlySpan<int> shape)
    {
        Span<int> dims = stackalloc int[shape.Length];
        shape.CopyTo(dims);
        int inferred = dims.IndexOf(-1);
        if (inferred >= 0)
        {
            int known = 1;
            for (int i = 0; i < dims.Length; i++) if (i != inferred) known *= dims[i];
            if (known == 0 || Size % known != 0)
                throw new ArgumentException($"reshape: cannot view shape {Shape} as ({string.Join(", ", shape.ToArray())})");
            dims[inferred] = Size / known;
        }
        return Ops.Reshape(this, Shape.Of(dims));
    }

    /// <summary>A view of rows [start, start+count) along the first axis (a batch slice); recorded on the tape.</summary>
    public Tensor Slice(int start, int count) => Ops.Narrow(this, 0, start, count);

    /// <summary>A view with another shape of the same size, sharing this tensor's storage.</summary>
    internal Tensor View(Shape shape) => Make(_storage, _offset, shape, _loan);

    /// <summary>A view of rows [start, start+count) along the first axis, off the tape.</summary>
    internal Tensor RowsView(int start, int count)
    {
        if (Rank == 0) throw new ArgumentException("slice: a scalar tensor has no first axis");
        if (start < 0 || count < 0 || start + count > Shape[0])
            throw new ArgumentOutOfRangeException(nameof(start), $"slice: rows [{start}, {start + count}) are out of range for shape {Shape}");
        return Make(_storage, _offset + start * Shape.SizeFrom(1), Shape.With(0, count), _loan);
    }

    public override string ToString() => $"Tensor{Shape}";
}
