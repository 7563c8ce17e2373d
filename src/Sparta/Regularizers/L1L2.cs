using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Regularizers;

/// <summary>
/// l1·Σ|w| + l2·Σw² (Keras' convention: no ½ on the L2 term, as in the slides' λ·Σw²). Registered as
/// "l1" (l1 only), "l2" (l2 only) and "l1_l2"; Keras' default factor is 0.01.
/// </summary>
public sealed class L1L2 : Regularizer
{
    public const double DefaultFactor = 0.01;

    public L1L2(double l1, double l2)
    {
        L1 = Check.NonNegative(l1, "l1", "regularizer");
        L2 = Check.NonNegative(l2, "l2", "regularizer");
    }

    public double L1 { get; }
    public double L2 { get; }

    public override string Name => (L1 > 0, L2 > 0) switch { (true, false) => "l1", (false, true) => "l2", _ => "l1_l2" };

    public override Tensor Penalty(Tensor weights)
    {
        Tensor? penalty = null;
        if (L1 > 0) penalty = weights.Abs().Sum() * (float)L1;
        if (L2 > 0)
        {
            var squares = (weights * weights).Sum() * (float)L2;
            penalty = penalty is null ? squares : penalty + squares;
        }
        return penalty ?? Tensor.Scalar(0f);
    }

    public override ComponentConfig GetConfig() => Name switch
    {
        "l1" => new(Name, [new("l1", L1)]),
        "l2" => new(Name, [new("l2", L2)]),
        _ => new(Name, [new("l1", L1), new("l2", L2)]),
    };
}
