using Sparta.Autograd;
using Sparta.Tensors;

namespace Sparta.Onnx;

// Operators that move values without computing new ones: reshapes, transposes, joins, cuts and pads.
internal static partial class OnnxOperators
{
    private static void AddShapeOperators(Dictionary<string, Func<OnnxOpContext, Tensor>> table)
    {
        table["Reshape"] = Reshape;
        table["Flatten"] = Flatten;
        table["Transpose"] = c => c.Input(0).Permute(c.Attributes.Ints("perm")?.Select(p => (int)p).ToArray()
            ?? Enumerable.Range(0, c.Input(0).Rank).Reverse().ToArray());
        table["Concat"] = c => Ops.Concat(c.All, c.Axis(c.Attributes.Int("axis", 0), c.Input(0).Rank));
        table["Squeeze"] = Squeeze;
        table["Unsqueeze"] = Unsqueeze;
        table["Slice"] = Slice;
        table["Gather"] = Gather;
        table["Pad"] = Pad;
        table["Expand"] = c => c.Input(0).BroadcastTo(Shape.Broadcast("expand", c.Input(0).Shape, new Shape(Dims(c.Longs(1)!))));
        table["Tile"] = Tile;
        table["Shape"] = ShapeOf;
        table["Cast"] = Cast;
    }

    private static int[] Dims(long[] values) => values.Select(v => checked((int)v)).ToArray();

    /// <summary>0 copies the input's dimension (unless allowzero), −1 is inferred.</summary>
    private static Tensor Reshape(OnnxOpContext c)
    {
        var x = c.Input(0);
        var shape = c.Opset < 5 ? c.Attributes.Ints("shape")! : c.Longs(1) ?? throw c.Fail("the shape input is missing");
        bool allowZero = c.Attributes.Int("allowzero", 0) != 0;
        var dims = shape.Select((d, i) => d == 0 && !allowZero ? x.Shape[i] : checked((int)d)).ToArray();
        return x.Reshape(dims);
    }

    /// <summary>(d0 ⋯ d(axis−1), d(axis) ⋯ dn) → (product before, product after).</summary>
    private static Tensor Flatten(OnnxOpContext c)
    {
        var x = c.Input(0);
        long axis = c.Attributes.Int("axis", 1);
        int a = (int)(axis < 0 ? axis + x.Rank : axis);
        if (a < 0 || a > x.Rank) throw c.Fail($"axis {axis} is out of range for rank {x.Rank}");
        int outer = 1;
        for (int i = 0; i < a; i++) outer *= x.Shape[i];
        return x.Reshape(outer, x.Size / Math.Max(outer, 1));
    }

    private static Tensor Squeeze(OnnxOpContext c)
    {
        var x = c.Input(0);
        var axes = c.Axes(1)?.Select(a => c.Axis(a, x.Rank)).ToHashSet()
            ?? Enumerable.Range(0, x.Rank).Where(a => x.Shape[a] == 1).ToHashSet();
        foreach (int a in axes)
            if (x.Shape[a] != 1) throw c.Fail($"cannot squeeze axis {a} of size {x.Shape[a]}");
        return x.Reshape(Enumerable.Range(0, x.Rank).Where(a => !axes.Contains(a)).Select(a => x.Shape[a]).ToArray());
    }

    private static Tensor Unsqueeze(OnnxOpContext c)
    {
        var x = c.Input(0);
        var given = c.Axes(1) ?? throw c.Fail("axes are missing");
        int rank = x.Rank + given.Length;
        var axes = given.Select(a => c.Axis(a, rank)).ToHashSet();
        var dims = new int[rank];
        for (int a = 0, source = 0; a < rank; a++) dims[a] = axes.Contains(a) ? 1 : x.Shape[source++];
        return x.Reshape(dims);
    }

    /// <summary>Unit steps only; starts and ends counted from the end when negative and clamped to the axis, as ONNX says.</summary>
    private static Tensor Slice(OnnxOpContext c)
    {
        var x = c.Input(0);
        long[] starts = c.Opset < 10 ? c.Attributes.Ints("starts")! : c.Longs(1)!;
        long[] ends = c.Opset < 10 ? c.Attributes.Ints("ends")! : c.Longs(2)!;
        long[] axes = (c.Opset < 10 ? c.Attributes.Ints("axes") : c.Longs(3)) ?? Enumerable.Range(0, starts.Length).Select(a => (long)a).ToArray();
        long[] steps = (c.Opset < 10 ? null : c.Longs(4)) ?? Enumerable.Repeat(1L, starts.Length).ToArray();
        for (int i = 0; i < axes.Length; i++)
        {
            if (steps[i] != 1) throw c.Fail($"step {steps[i]} is not supported (only 1)");
            int axis = c.Axis(axes[i], x.Rank), size = x.Shape[axis];
            long start = Math.Clamp(starts[i] < 0 ? starts[i] + size : starts[i], 0, size);
            long end = Math.Clamp(ends[i] < 0 ? ends[i] + size : ends[i], 0, size);
            if (end <= start) throw c.Fail($"an empty slice of axis {axis} is not supported");
            x = x.Narrow(axis, (int)start, (int)(end - start));
        }
        return x;
    }

    /// <summary>Picks entries along an axis: data.shape[:axis] + indices.shape + data.shape[axis+1:].</summary>
    private static Tensor Gather(OnnxOpContext c)
    {
        var x = c.Input(0);
        var indices = c.Input(1);
        int axis = c.Axis(c.Attributes.Int("axis", 0), x.Rank), size = x.Shape[axis];
        var picks = indices.ToArray().Select(v =>
        {
            int i = (int)v < 0 ? (int)v + size : (int)v;
            return i >= 0 && i < size ? x.Narrow(axis, i, 1) : throw c.Fail($"index {v} is out of range for axis {axis} of size {size}");
        }).ToArray();
        var joined = picks.Length == 1 ? picks[0] : Ops.Concat(picks, axis);
        int[] dims = [.. x.Shape.Dims[..axis], .. indices.Shape.Dims, .. x.Shape.Dims[(axis + 1)..]];
        return joined.Reshape(dims);
    }

    /// <summary>Constant padding; negative pads cut. pads = [begin of each axis ..., end of each axis ...].</summary>
    private static Tensor Pad(OnnxOpContext c)
    {
        var x = c.Input(0);
        string mode = c.Attributes.String("mode", "constant");
        if (mode is not ("constant" or "reflect" or "edge")) throw c.Fail($"mode '{mode}' is not supported (constant, reflect and edge are)");
        long[] pads = c.Opset < 11 ? c.Attributes.Ints("pads")! : c.Longs(1) ?? throw c.Fail("pads are missing");
        float value = c.Opset < 11 ? (float)c.Attributes.Float("value", 0) : c.Scalar(2, 0f);
        if (c.Optional(3) is not null) throw c.Fail("the axes input is not supported");
        if (pads.Length != 2 * x.Rank) throw c.Fail($"expected {2 * x.Rank} pads for rank {x.Rank}, got {pads.Length}");
        for (int axis = 0; axis < x.Rank; axis++)
            x = PadAxis(c, x, axis, (int)pads[axis], (int)pads[axis + x.Rank], mode, value);
        return x;
    }

    /// <summary>
    /// One axis' borders: the constant; or the cells mirrored about the edge cell, which is not repeated (reflect,
    /// PyTorch's ReflectionPad); or the edge cell repeated (edge, its ReplicationPad). Made of slices, so it trains.
    /// Negative pads crop.
    /// </summary>
    private static Tensor PadAxis(OnnxOpContext c, Tensor x, int axis, int before, int after, string mode, float value)
    {
        if (before < 0) { x = x.Narrow(axis, -before, x.Shape[axis] + before); before = 0; }
        if (after < 0) { x = x.Narrow(axis, 0, x.Shape[axis] + after); after = 0; }
        if (before == 0 && after == 0) return x;
        int size = x.Shape[axis];
        if (mode == "reflect" && Math.Max(before, after) >= size)
            throw c.Fail($"reflect pads of {before} and {after} cells need more cells along axis {axis}, which has {size}");
        Tensor Cell(int i) => x.Narrow(axis, i, 1);
        Tensor Border(int length, bool leading)
        {
            if (mode == "edge") return Ops.Concat(Enumerable.Repeat(Cell(leading ? 0 : size - 1), length).ToArray(), axis);
            if (mode == "reflect") return Ops.Concat(Enumerable.Range(0, length).Select(k => Cell(leading ? length - k : size - 2 - k)).ToArray(), axis);
            var dims = x.Shape.ToArray();
            dims[axis] = length;
            return Tensor.Full(value, dims);
        }
        var parts = new List<Tensor>();
        if (before > 0) parts.Add(Border(before, leading: true));
        parts.Add(x);
        if (after > 0) parts.Add(Border(after, leading: false));
        return Ops.Concat(parts, axis);
    }

    private static Tensor Tile(OnnxOpContext c)
    {
        var x = c.Input(0);
        var repeats = c.Longs(1) ?? throw c.Fail("repeats are missing");
        for (int axis = 0; axis < repeats.Length; axis++)
            if (repeats[axis] > 1) x = Ops.Concat(Enumerable.Repeat(x, (int)repeats[axis]).ToArray(), axis);
        return x;
    }

    /// <summary>The input's dimensions [start, end) as a vector (opset 15's slice of them included).</summary>
    private static Tensor ShapeOf(OnnxOpContext c)
    {
        var dims = c.Input(0).Shape.ToArray();
        int rank = dims.Length;
        long start = c.Attributes.Int("start", 0), end = c.Attributes.Int("end", rank);
        int from = (int)Math.Clamp(start < 0 ? start + rank : start, 0, rank), to = (int)Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        var values = dims[from..Math.Max(from, to)].Select(d => (float)d).ToArray();
        return Tensor.FromArray(values, values.Length);
    }

    /// <summary>
    /// To a float type: unchanged; to an integer or boolean type: truncated toward zero (or 0/1), with no
    /// gradient. Other types (bfloat16, strings, complex numbers) are refused, not computed as something else.
    /// </summary>
    private static Tensor Cast(OnnxOpContext c)
    {
        var x = c.Input(0);
        long to = c.Attributes.Int("to", 1);
        if (OnnxTensors.IsFloat((int)to)) return x;
        if (!OnnxTensors.IsInteger((int)to))
            throw c.Fail($"a cast to {(global::Onnx.TensorProto.Types.DataType)to} is not supported (to float, double, float16, integer or bool types are)");
        var result = Tensor.Uninitialized(x.Shape);
        var source = x.Span;
        var target = result.Span;
        for (int i = 0; i < target.Length; i++) target[i] = to == 9 ? (source[i] != 0 ? 1 : 0) : MathF.Truncate(source[i]);
        return result;
    }
}
