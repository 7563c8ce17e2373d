using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Sparta.Configuration;
using Sparta.Schedules;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Optimizers;

/// <summary>
/// RMSProp (Hinton 2012), the slides' form: cache = ρ·cache + (1−ρ)·g²; x −= lr·g / (√cache + ε).
/// Defaults follow Keras (lr 0.001, ρ 0.9, ε 1e-7).
/// </summary>
public sealed class RmsProp : Optimizer
{
    public const string RegisteredName = "rmsprop";
    private static readonly string[] Slots = ["cache"];

    public RmsProp(LearningRateSchedule? learningRate = null, double rho = 0.9, double epsilon = 1e-7, OptimizerOptions? options = null)
        : base(learningRate ?? 0.001, options)
    {
        Rho = Check.InRange(rho, 0, 1, "rho", Owner);
        Epsilon = Check.Positive(epsilon, "epsilon", Owner);
    }

    public override string Name => RegisteredName;
    public double Rho { get; }
    public double Epsilon { get; }

    protected override IReadOnlyList<string> SlotNames => Slots;

    protected override void Update(Span<float> value, ReadOnlySpan<float> gradient, Tensor[] slots, float learningRate)
    {
        Span<float> cache = slots[0].Span;
        float rho = (float)Rho, rest = (float)(1 - Rho), eps = (float)Epsilon;
        ref float x = ref MemoryMarshal.GetReference(value);
        ref float c = ref MemoryMarshal.GetReference(cache);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = value.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vrho = Vector512.Create(rho);
            var vrest = Vector512.Create(rest);
            var veps = Vector512.Create(eps);
            var vlr = Vector512.Create(learningRate);
            for (; i <= n - 16; i += 16)
            {
                var gi = Vector512.LoadUnsafe(ref g, (nuint)i);
                var ci = vrho * Vector512.LoadUnsafe(ref c, (nuint)i) + vrest * (gi * gi);
                ci.StoreUnsafe(ref c, (nuint)i);
                (Vector512.LoadUnsafe(ref x, (nuint)i) - vlr * gi / (Vector512.Sqrt(ci) + veps)).StoreUnsafe(ref x, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float ci = rho * cache[i] + rest * (gradient[i] * gradient[i]);
            cache[i] = ci;
            value[i] -= learningRate * gradient[i] / (MathF.Sqrt(ci) + eps);
        }
    }

    protected override void WriteConfig(IDictionary<string, object> parameters)
    {
        parameters["rho"] = Rho;
        parameters["epsilon"] = Epsilon;
    }

    internal static RmsProp FromConfig(ConfigReader r) => new(
        ScheduleRegistry.Read(r, "learning_rate", 0.001), r.Double("rho", 0.9), r.Double("epsilon", 1e-7), OptimizerOptions.Read(r));
}
