using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>A non-trainable tensor of a layer (e.g. "bn/moving_mean") under its model-unique name.</summary>
public sealed record NamedTensor(string Name, Tensor Value);
