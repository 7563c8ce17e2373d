using Sparta.Tensors;

namespace Sparta.Data;

/// <summary>
/// One mini-batch: preallocated tensors the loader refills each step. A batch is valid until the
/// loader moves on; copy what must outlive it.
/// </summary>
public sealed class Batch
{
    private readonly string[] _names;
    private readonly Tensor[] _inputs;
    private readonly int[] _indices;

    internal Batch(string[] names, Tensor[] inputs, Tensor target, int[] indices)
    {
        _names = names;
        _inputs = inputs;
        Target = target;
        _indices = indices;
    }

    public int Count => _indices.Length;

    public IReadOnlyList<Tensor> Inputs => _inputs;

    public Tensor Target { get; }

    /// <summary>Which samples of the dataset the rows are, in row order.</summary>
    public ReadOnlySpan<int> Indices => _indices;

    internal int[] IndexBuffer => _indices;

    public Tensor Input(string name)
    {
        int i = Array.IndexOf(_names, name);
        return i >= 0 ? _inputs[i] : throw new ArgumentException($"batch: no input '{name}' (inputs: {string.Join(", ", _names)})", nameof(name));
    }
}
