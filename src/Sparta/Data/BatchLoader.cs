using Sparta.Data.Augmentation;
using Sparta.Tensors;

namespace Sparta.Data;

/// <summary>
/// Serves a dataset in mini-batches. With a generator, each epoch visits the samples in a fresh
/// seeded random order (never in an order linked to the answer); without one, in dataset order
/// (evaluation). The last partial batch is kept. Rows are copied into tensors allocated once, and
/// an augmenter, when given, transforms the image input of each batch in place (training only).
/// </summary>
public sealed class BatchLoader
{
    private readonly Dataset _data;
    private readonly RandomGenerator? _shuffle;
    private readonly bool _oneHot;
    private readonly bool _blendsTargets;
    private readonly ImageAugmenter? _augmenter;
    private readonly int _augmentedInput;
    private readonly int[] _order;
    private readonly Batch _full;
    private readonly Batch? _tail;

    public BatchLoader(Dataset data, int batchSize, RandomGenerator? shuffle = null, bool oneHotTargets = false,
        ImageAugmenter? augmenter = null, string? augmentedInput = null)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive, got {batchSize}");
        if (oneHotTargets && data.Labels is null) throw new ArgumentException("batches: one-hot targets need a classification dataset (labels)", nameof(oneHotTargets));
        // Mixup blends targets of shape (N, classes): one-hot ones made here from class indices, or given so.
        _blendsTargets = oneHotTargets || data.Target.Rank == 2;
        if (augmenter is { UsesMixup: true } && !_blendsTargets)
            throw new ArgumentException("batches: mixup blends labels, so it needs one-hot targets (oneHotTargets: true, or targets of shape (N, classes))", nameof(augmenter));
        _data = data;
        _shuffle = shuffle;
        _oneHot = oneHotTargets;
        _augmenter = augmenter;
        BatchSize = Math.Min(batchSize, Math.Max(data.Count, 1));
        _order = Enumerable.Range(0, data.Count).ToArray();
        if (augmenter is not null) _augmentedInput = ImageInputIndex(data, augmentedInput);
        _full = Allocate(BatchSize);
        int tail = data.Count % BatchSize;
        _tail = tail == 0 ? null : Allocate(tail);
    }

    public int BatchSize { get; }

    public int BatchesPerEpoch => (_data.Count + BatchSize - 1) / BatchSize;

    /// <summary>One pass over the data. Each yielded batch is reused by the next step.</summary>
    public IEnumerable<Batch> Epoch()
    {
        _shuffle?.Shuffle(_order.AsSpan());
        for (int start = 0; start < _data.Count; start += BatchSize)
        {
            var batch = start + BatchSize <= _data.Count ? _full : _tail!;
            Fill(batch, _order.AsSpan(start, batch.Count));
            yield return batch;
        }
    }

    private void Fill(Batch batch, ReadOnlySpan<int> indices)
    {
        indices.CopyTo(batch.IndexBuffer);
        for (int i = 0; i < _data.Inputs.Count; i++) Dataset.GatherInto(_data.Inputs[i].Data, indices, batch.Inputs[i]);
        if (_oneHot)
        {
            var target = batch.Target.Span;
            target.Clear();
            for (int i = 0; i < indices.Length; i++) target[i * _data.ClassCount + _data.Labels![indices[i]]] = 1f;
        }
        else Dataset.GatherInto(_data.Target, indices, batch.Target);
        _augmenter?.Apply(batch.Inputs[_augmentedInput], _blendsTargets ? batch.Target : null);
    }

    private Batch Allocate(int count)
    {
        var names = _data.Inputs.Select(i => i.Name).ToArray();
        var inputs = _data.Inputs.Select(i => Tensor.Zeros(WithFirst(i.Data.Shape, count))).ToArray();
        var target = _oneHot ? Tensor.Zeros(count, _data.ClassCount) : Tensor.Zeros(WithFirst(_data.Target.Shape, count));
        return new Batch(names, inputs, target, new int[count]);
    }

    private static Shape WithFirst(Shape shape, int first)
    {
        int[] dims = shape.ToArray();
        dims[0] = first;
        return new Shape(dims);
    }

    private static int ImageInputIndex(Dataset data, string? name)
    {
        if (name is not null)
        {
            data.Input(name);
            return data.Inputs.Select(i => i.Name).ToList().IndexOf(name);
        }
        var images = data.Inputs.Select((input, index) => (input, index)).Where(p => p.input.Data.Rank == 4).ToList();
        return images.Count == 1 ? images[0].index
            : throw new ArgumentException($"batches: name the input to augment (NCHW inputs: {string.Join(", ", images.Select(p => p.input.Name))})", nameof(name));
    }
}
