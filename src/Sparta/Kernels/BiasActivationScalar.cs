namespace Sparta.Kernels;

/// <summary>The reference for <see cref="BiasActivation"/>: f(x + b) element by element, in double.</summary>
internal static class BiasActivationScalar
{
    public static void Forward(BiasActivationKind kind, double alpha, int outer, int channels, int inner,
        ReadOnlySpan<double> input, ReadOnlySpan<double> bias, Span<double> output)
    {
        for (int o = 0; o < outer; o++)
        for (int c = 0; c < channels; c++)
        for (int i = 0; i < inner; i++)
        {
            int at = (o * channels + c) * inner + i;
            output[at] = Apply(kind, alpha, input[at] + (bias.IsEmpty ? 0 : bias[c]));
        }
    }

    public static double Apply(BiasActivationKind kind, double alpha, double x) => kind switch
    {
        BiasActivationKind.Identity => x,
        BiasActivationKind.Relu => Math.Max(x, 0),
        BiasActivationKind.LeakyRelu => x > 0 ? x : alpha * x,
        BiasActivationKind.Sigmoid => 1 / (1 + Math.Exp(-x)),
        BiasActivationKind.Tanh => Math.Tanh(x),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), $"bias activation scalar: unknown activation {(int)kind}"),
    };
}
