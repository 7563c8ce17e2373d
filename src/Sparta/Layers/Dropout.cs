using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// Inverted dropout (Srivastava et al. 2014): in training each value is zeroed with probability
/// <see cref="Rate"/> and the kept ones scaled by 1/(1 − rate), so inference is the identity. The
/// mask of call k comes from stream k of the layer's seeded generator, so a run is reproducible
/// and a resumed run continues the same masks once <see cref="Calls"/> is restored.
/// </summary>
public sealed class Dropout : SingleInputLayer
{
    public const string RegisteredName = "dropout";

    private RandomGenerator? _random;

    // The generator of the current call's mask, restarted each call (ForkInto) rather than made anew.
    private readonly RandomGenerator _mask = new(0);

    public Dropout(double rate, string? name = null) : base(name) => Rate = Check.InRange(rate, 0, 1, "rate", "layer 'dropout'");

    public double Rate { get; }

    /// <summary>Training calls made so far: the stream of the next mask.</summary>
    public long Calls { get; set; }

    public override string TypeName => RegisteredName;

    protected override Shape OutputShapeFor(Shape inputShape) => inputShape;

    protected override void BuildCore(Shape inputShape, RandomGenerator random) => _random = random.Fork("mask");

    protected override Tensor Forward(Tensor x, bool training)
    {
        if (!training || Rate == 0) return x;
        _random!.ForkInto((ulong)Calls++, _mask);
        return x.Dropout((float)Rate, _mask);
    }

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() => [("rate", Rate)];

    internal static Dropout FromConfig(ConfigReader r) => new(r.Double("rate", 0.5));
}
