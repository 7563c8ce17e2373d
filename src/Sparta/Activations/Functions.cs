using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Activations;

/// <summary>f(x) = x ("linear" in Keras): no activation.</summary>
public sealed class Linear : Activation
{
    public override string Name => "linear";
    internal override BiasActivationKind? FusedKind => BiasActivationKind.Identity;
    public override Tensor Apply(Tensor x) => x;
}

public sealed class Sigmoid : Activation
{
    public override string Name => "sigmoid";
    internal override BiasActivationKind? FusedKind => BiasActivationKind.Sigmoid;
    internal override bool KeepsLogits => true;

    public override Tensor Apply(Tensor x)
    {
        var y = x.Sigmoid();
        y.SigmoidLogits = x;
        return y;
    }
}

public sealed class Tanh : Activation
{
    public override string Name => "tanh";
    internal override BiasActivationKind? FusedKind => BiasActivationKind.Tanh;
    public override Tensor Apply(Tensor x) => x.Tanh();
}

public sealed class Relu : Activation
{
    public override string Name => "relu";
    internal override BiasActivationKind? FusedKind => BiasActivationKind.Relu;
    public override Tensor Apply(Tensor x) => x.Relu();
}

/// <summary>x for x &gt; 0, alpha·x otherwise. Default alpha 0.01 (PyTorch's); the slides use 0.1 (<c>{name: leaky_relu, alpha: 0.1}</c>).</summary>
public sealed class LeakyRelu : Activation
{
    public const double DefaultAlpha = 0.01;

    public LeakyRelu(double alpha = DefaultAlpha) => Alpha = Check.NonNegative(alpha, "alpha", "activation 'leaky_relu'");

    public double Alpha { get; }
    public override string Name => "leaky_relu";
    internal override BiasActivationKind? FusedKind => BiasActivationKind.LeakyRelu;
    internal override float FusedAlpha => (float)Alpha;
    public override Tensor Apply(Tensor x) => x.LeakyRelu((float)Alpha);
    public override ComponentConfig GetConfig() => new(Name, [new("alpha", Alpha)]);
}

/// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise (Clevert et al. 2015), alpha default 1.</summary>
public sealed class Elu : Activation
{
    public Elu(double alpha = 1) => Alpha = Check.Positive(alpha, "alpha", "activation 'elu'");

    public double Alpha { get; }
    public override string Name => "elu";
    public override Tensor Apply(Tensor x) => x.Elu((float)Alpha);
    public override ComponentConfig GetConfig() => new(Name, [new("alpha", Alpha)]);
}

/// <summary>log(1 + eˣ): a smooth ReLU whose outputs are always positive (a variance or a rate head).</summary>
public sealed class Softplus : Activation
{
    public override string Name => "softplus";
    public override Tensor Apply(Tensor x) => x.Softplus();
}

/// <summary>x·σ(x) (Ramachandran et al. 2017; "silu" in PyTorch).</summary>
public sealed class Swish : Activation
{
    public override string Name => "swish";
    public override Tensor Apply(Tensor x) => x.Swish();
}

/// <summary>exp(x − max) / Σ exp(x − max) over <see cref="Axis"/> (default the last).</summary>
public sealed class Softmax : Activation
{
    public Softmax(int axis = -1) => Axis = axis;

    public int Axis { get; }
    public override string Name => "softmax";

    public override Tensor Apply(Tensor x)
    {
        var y = x.Softmax(Axis);
        if (Axis == -1 || Axis == x.Rank - 1) y.SoftmaxLogits = x;
        return y;
    }

    public override ComponentConfig GetConfig() => new(Name, [new("axis", Axis)]);
}
