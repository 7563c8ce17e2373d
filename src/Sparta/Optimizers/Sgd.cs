using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Sparta.Configuration;
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
        float mu = (float)Momentum;
        float step = -learningRate * (float)(1 - Dampening);
        Span<float> velocity = slots[0].Span;
        ref float x = ref MemoryMarshal.GetReference(value);
        ref float v = ref MemoryMarshal.GetReference(velocity);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = value.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vmu = Vector512.Create(mu);
            var vstep = Vector512.Create(step);
            for (; i <= n - 16; i += 16)
            {
                var gi = Vector512.LoadUnsafe(ref g, (nuint)i);
                var vi = vmu * Vector512.LoadUnsafe(ref v, (nuint)i) + vstep * gi;
                vi.StoreUnsafe(ref v, (nuint)i);
                var xi = Vector512.LoadUnsafe(ref x, (nuint)i);
                (Nesterov ? xi + vmu * vi + vstep * gi : xi + vi).StoreUnsafe(ref x, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float vi = mu * velocity[i] + step * gradient[i];
            velocity[i] = vi;
            value[i] = Nesterov ? value[i] + mu * vi + step * gradient[i] : value[i] + vi;
        }
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
