using Sparta.Tensors;

namespace Sparta.Data;

/// <summary>
/// Samples of one or several named inputs (an image and a scalar, say) and a target, all with the
/// sample count as first dimension. A classification set also keeps its integer labels (the
/// target then holds them as floats) for stratified splits, one-hot targets and mixup.
/// The set of a model with several outputs keeps each output's target side by side in the target's
/// row (<see cref="OutputColumns"/>), so splits, shuffles and batches keep a sample's targets together.
/// </summary>
public sealed class Dataset
{
    private readonly (string Name, Tensor Data)[] _inputs;

    public Dataset(IReadOnlyList<(string Name, Tensor Data)> inputs, Tensor target, int[]? labels = null, int classCount = 0,
        IReadOnlyList<(string Output, int Width)>? outputColumns = null)
    {
        if (inputs.Count == 0) throw new ArgumentException("dataset: needs at least one input", nameof(inputs));
        if (target.Rank == 0) throw new ArgumentException("dataset: the target needs a sample dimension, got a scalar", nameof(target));
        Count = target.Shape[0];
        foreach (var (name, data) in inputs)
            if (data.Rank == 0 || data.Shape[0] != Count)
                throw new ArgumentException($"dataset: input '{name}' has shape {data.Shape}, expected {Count} samples like the target", nameof(inputs));
        var duplicate = inputs.GroupBy(i => i.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"dataset: input name '{duplicate.Key}' is used twice", nameof(inputs));
        if (labels is not null && (labels.Length != Count || classCount < 1))
            throw new ArgumentException($"dataset: {labels.Length} labels over {classCount} classes for {Count} samples", nameof(labels));
        if (outputColumns is not null && (target.Rank != 2 || outputColumns.Sum(c => c.Width) != target.Shape[1] || outputColumns.Any(c => c.Width < 1)))
            throw new ArgumentException($"dataset: the outputs' target columns ({string.Join(", ", outputColumns.Select(c => $"{c.Output}: {c.Width}"))}) do not tile the target's rows of shape {target.Shape}", nameof(outputColumns));
        _inputs = inputs.ToArray();
        Target = target;
        OutputColumns = outputColumns;
        Labels = labels;
        ClassCount = classCount;
    }

    /// <summary>A classification set; checks each label is in [0, classCount).</summary>
    public static Dataset Classification(IReadOnlyList<(string Name, Tensor Data)> inputs, int[] labels, int classCount)
    {
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentException($"dataset: label {labels[i]} of sample {i} is out of range [0, {classCount - 1}]", nameof(labels));
        var target = Tensor.Uninitialized(new Shape(labels.Length));
        var span = target.Span;
        for (int i = 0; i < labels.Length; i++) span[i] = labels[i];
        return new Dataset(inputs, target, labels, classCount);
    }

    /// <summary>
    /// The set of a model with several outputs: <paramref name="targets"/> gives each output's targets as a
    /// set of these inputs would hold them (class labels, or values), packed side by side in the target rows
    /// (<see cref="OutputColumns"/>). The first classifier output's labels become the set's, for stratified splits.
    /// </summary>
    public static Dataset PerOutput(IReadOnlyList<(string Name, Tensor Data)> inputs, IReadOnlyList<(string Output, Dataset Targets)> targets)
    {
        if (targets.Count == 0) throw new ArgumentException("dataset: needs a target per output, got none", nameof(targets));
        int count = targets[0].Targets.Count;
        var wrong = targets.FirstOrDefault(t => t.Targets.Count != count);
        if (wrong.Targets is not null)
            throw new ArgumentException($"dataset: output '{wrong.Output}' has {wrong.Targets.Count} targets, output '{targets[0].Output}' {count}", nameof(targets));
        var widths = targets.Select(t => (t.Output, Width: t.Targets.Target.Shape.SizeFrom(1))).ToArray();
        int stride = widths.Sum(w => w.Width);
        var packed = Tensor.Uninitialized(new Shape(count, stride));
        var to = packed.Span;
        int start = 0;
        for (int o = 0; o < targets.Count; o++)
        {
            var from = targets[o].Targets.Target.Span;
            int width = widths[o].Width;
            for (int i = 0; i < count; i++) from.Slice(i * width, width).CopyTo(to.Slice(i * stride + start, width));
            start += width;
        }
        var classifier = targets.Select(t => t.Targets).FirstOrDefault(t => t.Labels is not null);
        return new Dataset(inputs, packed, classifier?.Labels, classifier?.ClassCount ?? 0, widths);
    }

    public int Count { get; }

    public IReadOnlyList<(string Name, Tensor Data)> Inputs => _inputs;

    public Tensor Target { get; }

    /// <summary>Class index of each sample, or null for a regression target.</summary>
    public int[]? Labels { get; }

    public int ClassCount { get; }

    /// <summary>
    /// For a model with several outputs: the columns of <see cref="Target"/> holding each output's
    /// target, in order (one column of class indices for a classifier head); null for one output.
    /// <see cref="Labels"/> are then the first classifier head's, for stratified splits.
    /// </summary>
    public IReadOnlyList<(string Output, int Width)>? OutputColumns { get; }

    public Tensor Input(string name)
    {
        foreach (var (n, data) in _inputs) if (n == name) return data;
        throw new ArgumentException($"dataset: no input '{name}' (inputs: {string.Join(", ", _inputs.Select(i => i.Name))})", nameof(name));
    }

    /// <summary>The same samples with input <paramref name="name"/> replaced (after preprocessing, say).</summary>
    public Dataset WithInput(string name, Tensor data)
    {
        Input(name);
        var inputs = _inputs.Select(i => i.Name == name ? (name, data) : i).ToArray();
        return new Dataset(inputs, Target, Labels, ClassCount, OutputColumns);
    }

    /// <summary>The same samples with another target (the inputs themselves for an autoencoder, say); labels are kept.</summary>
    public Dataset WithTarget(Tensor target) => new(_inputs, target, Labels, ClassCount);

    /// <summary>
    /// The targets as one-hot rows (samples, classes) in place of class indices, for a loss that
    /// compares vectors (the slides' sigmoid + MSE classifier); the labels stay for stratified splits.
    /// </summary>
    public Dataset WithOneHotTargets()
    {
        if (Labels is null) throw new InvalidOperationException("dataset: one-hot targets need class labels; this set has regression targets");
        var oneHot = Tensor.Zeros(Count, ClassCount);
        var span = oneHot.Span;
        for (int i = 0; i < Count; i++) span[i * ClassCount + Labels[i]] = 1;
        return WithTarget(oneHot);
    }

    /// <summary>A copy of the samples at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices)
    {
        var inputs = new (string, Tensor)[_inputs.Length];
        for (int i = 0; i < _inputs.Length; i++) inputs[i] = (_inputs[i].Name, Gather(_inputs[i].Data, indices));
        int[]? labels = null;
        if (Labels is not null)
        {
            labels = new int[indices.Length];
            for (int i = 0; i < indices.Length; i++) labels[i] = Labels[indices[i]];
        }
        return new Dataset(inputs, Gather(Target, indices), labels, ClassCount, OutputColumns);
    }

    /// <summary>
    /// Copies rows <paramref name="indices"/> of <paramref name="source"/> into <paramref name="destination"/>'s first rows,
    /// shared out to the kernels' threads: wide rows by their columns (each thread copies its columns of every sample),
    /// narrow ones whole. Every value is copied once whatever the cuts, so where they fall changes nothing.
    /// </summary>
    internal static unsafe void GatherInto(Tensor source, ReadOnlySpan<int> indices, Tensor destination)
    {
        int row = source.Shape.SizeFrom(1);
        var to = destination.Span;
        if ((long)indices.Length * row > to.Length)
            throw new ArgumentException($"dataset: {indices.Length} rows of {row} values do not fit a batch of {to.Length}", nameof(destination));
        fixed (float* from = source.Span, into = to)
        fixed (int* rows = indices)
        {
            var gather = new RowGather(from, source.Shape[0], row, rows, into);
            if (row >= WideRow)
                Parallelism.ForRanges(row, Math.Max(LineFloats, Kernels.Elementwise.MinPerRange / Math.Max(1, indices.Length)), LineFloats,
                    new ColumnGather(gather, indices.Length));
            else Parallelism.ForRanges(indices.Length, RowsPerRange(row), 1, gather);
        }
    }

    /// <summary>
    /// From this many values a row is cut across. A dense first layer cuts the depth of its product, the columns
    /// of the batch, between the threads (<see cref="Kernels.GemmDepthSplit"/>), and its weight gradient's product
    /// the same columns: a thread that copied the columns it multiplies finds them in its own cache, where a row
    /// copied whole by the other thread crosses between the cores (on processors that share no cache, 6,272 lines
    /// of a 128×784 batch a step).
    /// </summary>
    private const int WideRow = 256;

    /// <summary>Floats in a 64-byte cache line: column cuts fall on line boundaries of rows that start on one.</summary>
    private const int LineFloats = 16;

    /// <summary>Rows a thread copies at least: as many values as an element-wise pass splits at.</summary>
    private static int RowsPerRange(int row) => Math.Max(1, Kernels.Elementwise.MinPerRange / Math.Max(1, row));

    /// <summary>Copies the rows of <c>rows[start..end)</c> into rows start..end of <c>into</c>.</summary>
    private readonly unsafe struct RowGather(float* from, int count, int row, int* rows, float* into) : IRangeBody
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++) Copy(i, 0, row);
        }

        /// <summary>Columns [first, last) of sample <c>rows[i]</c> into row i of <c>into</c>.</summary>
        public void Copy(int i, int first, int last)
        {
            int index = rows[i];
            if ((uint)index >= (uint)count)
                throw new ArgumentOutOfRangeException("indices", $"dataset: sample index {index} is out of range [0, {count - 1}]");
            new ReadOnlySpan<float>(from + (long)index * row + first, last - first).CopyTo(new Span<float>(into + (long)i * row + first, last - first));
        }
    }

    /// <summary>Copies columns [start, end) of every one of the <paramref name="samples"/> rows.</summary>
    private readonly struct ColumnGather(RowGather rows, int samples) : IRangeBody
    {
        public void Run(int start, int end)
        {
            for (int i = 0; i < samples; i++) rows.Copy(i, start, end);
        }
    }

    private static Tensor Gather(Tensor source, ReadOnlySpan<int> indices)
    {
        int[] dims = source.Shape.ToArray();
        dims[0] = indices.Length;
        var result = Tensor.Uninitialized(new Shape(dims));
        GatherInto(source, indices, result);
        return result;
    }
}
