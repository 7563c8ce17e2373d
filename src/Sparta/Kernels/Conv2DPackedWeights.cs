using System.Runtime.InteropServices;
using Sparta.Tensors;

namespace Sparta.Kernels;

/// <summary>
/// A convolution's weights and bias laid out for <see cref="Conv2DBlocked"/>: output channels in
/// groups of two vectors (16 for 8-lane vectors), and within a group, for each patch cell (c, kh, kw)
/// in order, the group's weights side by side, so one patch step of a tile loads two vectors in a
/// row. A last partial group is padded with zero weights and bias (its lanes are computed and never
/// stored). The source values are kept beside the packed ones: <see cref="Holds"/> tells whether
/// the weights changed since packing (training updates them in place).
/// </summary>
internal sealed unsafe class Conv2DPackedWeights
{
    private readonly float[] _sourceWeights;
    private readonly float[] _sourceBias;
    private readonly TensorStorage _packed;

    private Conv2DPackedWeights(Conv2DShape shape, int lanes, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias)
    {
        Shape = shape;
        Lanes = lanes;
        _sourceWeights = new float[weights.Length];
        _sourceBias = new float[bias.Length];
        _packed = new TensorStorage(Groups * GroupChannels * (shape.PatchSize + 1));
        Repack(weights, bias);
    }

    public Conv2DShape Shape { get; }

    private Conv2DBlockedStage[]? _alone;

    /// <summary>
    /// The chain of one stage these weights run alone, kept for the next call with the same activation and
    /// pooling (a layer's every step), which then allocates nothing. A call with others replaces it.
    /// </summary>
    internal Conv2DBlockedStage[] Alone(BiasActivationKind activation, float alpha, ConvWindow? pool)
    {
        var alone = _alone;
        if (alone is null || alone[0].Activation != activation || !alone[0].Alpha.Equals(alpha) || alone[0].Pool != pool)
            _alone = alone = [new Conv2DBlockedStage(Shape, this, activation, alpha, pool)];
        return alone;
    }

    /// <summary>Floats per vector of the kernel these were packed for.</summary>
    public int Lanes { get; }

    /// <summary>Output channels per group: two vectors.</summary>
    public int GroupChannels => 2 * Lanes;

    public int Groups => (Shape.OutChannels + GroupChannels - 1) / GroupChannels;

    private int BiasStart => Groups * GroupChannels * Shape.PatchSize;

    /// <summary>Group g's weights: PatchSize steps of <see cref="GroupChannels"/> floats.</summary>
    public float* Weights(int g) => _packed.Pointer + (long)g * GroupChannels * Shape.PatchSize;

    /// <summary>Group g's <see cref="GroupChannels"/> biases (zero without a bias).</summary>
    public float* Bias(int g) => _packed.Pointer + BiasStart + g * GroupChannels;

    public static Conv2DPackedWeights Pack(Conv2DShape shape, int lanes, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias)
    {
        if (weights.Length != shape.WeightCount)
            throw new ArgumentException($"conv2d packing: weights hold {weights.Length} values, the shape {shape} needs {shape.WeightCount}", nameof(weights));
        if (!bias.IsEmpty && bias.Length != shape.OutChannels)
            throw new ArgumentException($"conv2d packing: bias holds {bias.Length} values, the shape {shape} needs {shape.OutChannels}", nameof(bias));
        return new Conv2DPackedWeights(shape, lanes, weights, bias);
    }

    /// <summary>Whether these were packed for this shape and width, and for weights and bias of these lengths.</summary>
    public bool Fits(Conv2DShape shape, int lanes, int biasLength) => shape == Shape && lanes == Lanes && biasLength == _sourceBias.Length;

    /// <summary>Whether these were packed from exactly these values (compared bit for bit, NaNs included).</summary>
    public bool Holds(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias) =>
        MemoryMarshal.AsBytes(weights).SequenceEqual(MemoryMarshal.AsBytes(_sourceWeights.AsSpan()))
        && MemoryMarshal.AsBytes(bias).SequenceEqual(MemoryMarshal.AsBytes(_sourceBias.AsSpan()));

    /// <summary>
    /// Packs new values of the same lengths in place (a training step changed them): no reader may use
    /// these meanwhile, which holds since whoever changes the weights runs the model itself.
    /// </summary>
    public void Repack(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias)
    {
        weights.CopyTo(_sourceWeights);
        bias.CopyTo(_sourceBias);
        int group = GroupChannels, patch = Shape.PatchSize;
        var packed = _packed.Span;
        for (int o = 0; o < Shape.OutChannels; o++)
        {
            int start = o / group * group * patch + o % group;
            for (int k = 0; k < patch; k++) packed[start + k * group] = weights[o * patch + k];
            if (!bias.IsEmpty) packed[BiasStart + o] = bias[o];
        }
    }
}
