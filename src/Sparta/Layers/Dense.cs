using Sparta.Activations;
using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Kernels;
using Sparta.Regularizers;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// Fully connected: y = f(x·W + b) over the last axis, W of shape (in, units). ReLU, leaky ReLU,
/// tanh and linear run fused with the bias in one pass; other activations follow it (sigmoid too, so a
/// cross-entropy reads its logits).
/// </summary>
public sealed class Dense : AffineLayer
{
    public const string RegisteredName = "dense";

    public Dense(int units, Activation? activation = null, bool useBias = true, Initializer? kernelInitializer = null,
        Initializer? biasInitializer = null, Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null)
        : this(units, new AffineArguments(activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer), name)
    {
    }

    /// <summary>Dense with an activation by registered name, e.g. <c>new Dense(128, "relu")</c>.</summary>
    public Dense(int units, string activation, string? name = null) : this(units, ActivationRegistry.Create(activation), name: name)
    {
    }

    private Dense(int units, AffineArguments arguments, string? name) : base(arguments, name)
    {
        Units = Check.AtLeast(units, 1, "units", "layer 'dense'");
    }

    public int Units { get; }

    public override string TypeName => RegisteredName;

    protected override int Outputs => Units;

    protected override Shape KernelShape(Shape inputShape) => new(inputShape[-1], AffineOutputs);

    protected override Shape AffineShape(Shape inputShape)
    {
        if (inputShape.Rank < 1) throw new ArgumentException($"layer '{Name}': needs inputs with a feature axis, got shape {inputShape}");
        var dims = inputShape.ToArray();
        dims[^1] = AffineOutputs;
        return new Shape(dims);
    }

    private protected override Tensor Affine(Tensor x, Tensor kernel, Tensor? bias, BiasActivationKind activation, float alpha) =>
        FusedDense.Apply(x, kernel, bias, activation, alpha);

    protected override IEnumerable<(string Key, object Value)> ShapeConfig() => [("units", Units)];

    internal static Dense FromConfig(ConfigReader r) => new(r.Int("units", 0), AffineArguments.Read(r), null);
}
