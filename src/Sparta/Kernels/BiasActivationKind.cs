namespace Sparta.Kernels;

/// <summary>The activations <see cref="BiasActivation"/> fuses with the bias add. Each one's derivative is a function of its output.</summary>
internal enum BiasActivationKind
{
    Identity,
    Relu,
    /// <summary>x for x &gt; 0, alpha·x otherwise (alpha ≥ 0).</summary>
    LeakyRelu,
    Sigmoid,
    Tanh,
}
