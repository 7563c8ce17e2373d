using Sparta.Tensors;

namespace Sparta.Optimizers;

/// <summary>
/// A trainable value and the gradient of the loss with respect to it, under a name that is unique
/// within a model (it keys the optimizer's state in checkpoints). A frozen parameter
/// (<see cref="Trainable"/> false) keeps its optimizer state but is not updated.
/// </summary>
public sealed class Parameter
{
    public Parameter(string name, Tensor value, Tensor? gradient = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"parameter: name must be non-empty, got '{name}'", nameof(name));
        ArgumentNullException.ThrowIfNull(value);
        if (gradient is not null && gradient.Shape != value.Shape)
            throw new ArgumentException($"parameter '{name}': gradient shape {gradient.Shape} differs from value shape {value.Shape}", nameof(gradient));
        Name = name;
        Value = value;
        Gradient = gradient ?? Tensor.Zeros(value.Shape);
    }

    public string Name { get; }
    public Tensor Value { get; }
    public Tensor Gradient { get; }
    public bool Trainable { get; set; } = true;

    public override string ToString() => $"{Name}{Value.Shape}";
}
