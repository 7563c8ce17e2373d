namespace Sparta.Kernels;

/// <summary>
/// The vector lanes a convolution's backward kernels run at: <see cref="Input"/> for the input gradient
/// (<see cref="Conv2DBlockedInputGradient"/>), <see cref="Weights"/> for the weight gradient
/// (<see cref="Conv2DBlockedWeightGradient"/>), 0 where the im2col GEMM serves instead. Read once per
/// backward pass and passed down, so the check that a fused ReLU is taken and the kernels that take it
/// see the same widths even if <see cref="VectorWidth.Bits"/> changes in between.
/// </summary>
internal readonly record struct Conv2DBackwardLanes(int Input, int Weights)
{
    /// <summary>The lanes each backward kernel takes for this shape at the width in use.</summary>
    public static Conv2DBackwardLanes For(Conv2DShape shape) =>
        new(Conv2DBlockedInputGradient.LanesFor(shape), Conv2DBlockedWeightGradient.LanesFor(shape));

    /// <summary>Whether every gradient asked for runs channels-blocked, so ReLU's slope can be applied as the kernels read.</summary>
    public bool FusesRelu(bool input, bool weights) => (!input || Input > 0) && (!weights || Weights > 0);

    /// <summary>Whether the blocked kernels take <paramref name="shape"/> at these lanes (0: the GEMM, always taken).</summary>
    public bool TakenBy(Conv2DShape shape) =>
        (Input == 0 || Conv2DBlockedInputGradient.Handles(shape, Input)) && (Weights == 0 || Conv2DBlockedWeightGradient.Handles(shape, Weights));

    public override string ToString() => $"{Input} lanes (input gradient) and {Weights} (weight gradient)";
}
