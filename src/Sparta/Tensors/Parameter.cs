using Sparta.Tensors;

namespace Sparta.Tensors;

/// <summary>
/// A trainable tensor under a name that is unique within a model (it keys the optimizer's state
/// in checkpoints). The gradient is the tensor's own <see cref="Tensor.Grad"/>, filled by
/// <see cref="Tensor.Backward"/>; freezing (<see cref="Trainable"/> false) turns off
/// <see cref="Tensor.RequiresGrad"/>, so the tape spends nothing on it and the optimizer skips it
/// while keeping its state.
/// </summary>
public sealed class Parameter
{
    public Parameter(string name, Tensor value)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"parameter: name must be non-empty, got '{name}'", nameof(name));
        ArgumentNullException.ThrowIfNull(value);
        if (!value.IsLeaf) throw new ArgumentException($"parameter '{name}': the tensor is the result of an operation; a parameter must be a leaf", nameof(value));
        Name = name;
        Value = value;
        Value.RequiresGrad = true;
    }

    public string Name { get; }

    public Tensor Value { get; }

    /// <summary>The gradient buffer, created as zeros on first use so it can also be written directly.</summary>
    public Tensor Gradient => Value.Grad ??= Tensor.Zeros(Value.Shape);

    /// <summary>Whether a backward pass left a gradient for this step (an unused parameter has none).</summary>
    public bool HasGradient => Value.Grad is not null;

    public bool Trainable
    {
        get => Value.RequiresGrad;
        set => Value.RequiresGrad = value;
    }

    /// <summary>Clears the gradient before the next backward pass (the tape accumulates into it).</summary>
    public void ZeroGrad() => Value.ZeroGrad();

    public override string ToString() => $"{Name}{Value.Shape}";
}
