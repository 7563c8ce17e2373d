using System.Numerics.Tensors;
using Sparta.Configuration;
using Sparta.Kernels.Vectors;
using Sparta.Schedules;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Optimizers;

/// <summary>
/// Mini-batch SGD, with optional momentum and Nesterov momentum in the slides' (and Keras') form:
/// v = mu·v − lr·g; x += v. Nesterov evaluates the step at the look-ahead point: x += mu·v − lr·g
/// (Sutskever et al. 2013, as Keras writes it). Dampening d scales the new gradient by (1 − d);
/// d = mu gives the exponential-average form of the slides' "backprop com momentum"
/// (V = (1−β)·g + β·V; x −= lr·V). Registered as "sgd", with presets "momentum" and "nesterov".
/// </summary>
public sealed class Sgd : Optimizer
{
    public const string RegisteredName = "sgd";
    private static readonly string[] NoSlots = [];
    private static readonly string[] VelocitySlot = ["velocity"];

    public Sgd(LearningRateSchedule? learningRate = null, double momentum = 0, bool nesterov = false, double dampening = 0,
        OptimizerOptions? options = null)
        : base(learningRate ?? 0.01, options)
    {
        Momentum = Check.InRange(momentum, 0, 1, "momentum", Owner);
        Dampening = Check.InRange(dampening, 0, 1, "dampening", Owner);
        if (nesterov && (momentum == 0 || dampening != 0))
            throw new ArgumentException($"{Owner}: nesterov needs momentum > 0 and dampening 0, got momentum {momentum}, dampening {dampening}");
        Nesterov = nesterov;
    }

    public override string Name => RegisteredName;
    public double Momentum { get; }
    public bool Nesterov { get; }
    public double Dampening { get; }

    protected override IReadOnlyList<string> SlotNames => Momentum > 0 ? VelocitySlot : NoSlots;

    protected override void Update(Span<float> value, ReadOnlySpan<float> gradient, Tensor[] slots, float learningRate)
    {
        if (Momentum == 0)
        {
            TensorPrimitives.MultiplyAdd(gradient, -learningRate, value, value);
            return;
        }
        var step = new MomentumStep((float)Momentum, -learningRate * (float)(1 - Dampening), Nesterov);
        ParameterSteps.Run(step, value, gradient, slots[0].Span, default);
    }

    protected override void WriteConfig(IDictionary<string, object> parameters)
    {
        parameters["momentum"] = Momentum;
        parameters["nesterov"] = Nesterov;
        parameters["dampening"] = Dampening;
    }

    internal static Sgd FromConfig(ConfigReader r, double defaultMomentum, bool defaultNesterov) => new(
        ScheduleRegistry.Read(r, "learning_rate", 0.01), r.Double("momentum", defaultMomentum), r.Bool("nesterov", defaultNesterov),
        r.Double("dampening", 0), OptimizerOptions.Read(r));
}

/// <summary>
/// SGD with momentum's update of one run of parameters, with the velocity in the first slot:
/// v = mu·v + step·g (step = −lr·(1 − dampening)); x += v, or x += mu·v + step·g with Nesterov.
/// </summary>
internal readonly struct MomentumStep(float momentum, float step, bool nesterov) : IParameterStep
{
    public void Apply<TVector>(ref float value, ref float velocity, ref float unused, ref float gradient, nuint i) where TVector : struct, IFloatVector<TVector>
    {
        var g = TVector.Load(ref gradient, i);
        var mu = TVector.Create(momentum);
        var s = TVector.Create(step);
        var v = mu * TVector.Load(ref velocity, i) + s * g;
        v.Store(ref velocity, i);
        var x = TVector.Load(ref value, i);
        (nesterov ? x + mu * v + s * g : x + v).Store(ref value, i);
    }
}
