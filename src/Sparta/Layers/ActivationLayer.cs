using Sparta.Activations;
using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>Applies an activation on its own (Keras' Activation layer), e.g. after BatchNormalization; registered as "activation".</summary>
public sealed class ActivationLayer : SingleInputLayer
{
    public const string RegisteredName = "activation";

    public ActivationLayer(Activation activation, string? name = null) : base(name) => Activation = activation;

    public ActivationLayer(string activation, string? name = null) : this(ActivationRegistry.Create(activation), name)
    {
    }

    public Activation Activation { get; }

    public override string TypeName => RegisteredName;

    protected override Shape OutputShapeFor(Shape inputShape) => Activation.OutputShape(inputShape);

    protected override void BuildCore(Shape inputShape, RandomGenerator random) =>
        Activation.Build(inputShape, (name, shape, initializer) => AddParameter(name, shape, initializer, random));

    protected override Tensor Forward(Tensor x, bool training) => Activation.Apply(x);

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() => [("activation", Activation.GetConfig())];

    internal static ActivationLayer FromConfig(ConfigReader r) =>
        new(LayerArguments.Activation(r) ?? throw new ArgumentException($"{r.Owner}: missing key 'activation'"));
}
