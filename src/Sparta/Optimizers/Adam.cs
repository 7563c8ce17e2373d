using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Sparta.Configuration;
using Sparta.Schedules;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015, Algorithm 1): m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
/// x −= lr·m̂ / (√v̂ + ε) with the bias corrections m̂ = m/(1−β1^t), v̂ = v/(1−β2^t), on by default.
/// <c>bias_correction: false</c> gives the slides' form x −= lr·m / (√v + ε). Defaults follow Keras
/// (lr 0.001, β1 0.9, β2 0.999, ε 1e-7).
/// </summary>
public class Adam : Optimizer
{
    public const string RegisteredName = "adam";
    private static readonly string[] Slots = ["m", "v"];

    public Adam(LearningRateSchedule? learningRate = null, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
        bool biasCorrection = true, OptimizerOptions? options = null)
        : base(learningRate ?? 0.001, options)
    {
        Beta1 = Check.InRange(beta1, 0, 1, "beta_1", Owner);
        Beta2 = Check.InRange(beta2, 0, 1, "beta_2", Owner);
        Epsilon = Check.Positive(epsilon, "epsilon", Owner);
        BiasCorrection = biasCorrection;
    }

    public override string Name => RegisteredName;
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }
    public bool BiasCorrection { get; }

    protected override IReadOnlyList<string> SlotNames => Slots;

    protected override void Update(Span<float> value, ReadOnlySpan<float> gradient, Tensor[] slots, float learningRate)
    {
        Span<float> m = slots[0].Span, v = slots[1].Span;
        long t = Iterations + 1;
        float correction1 = BiasCorrection ? (float)(1 / (1 - Math.Pow(Beta1, t))) : 1f;
        float correction2 = BiasCorrection ? (float)(1 / (1 - Math.Pow(Beta2, t))) : 1f;
        float b1 = (float)Beta1, r1 = (float)(1 - Beta1), b2 = (float)Beta2, r2 = (float)(1 - Beta2), eps = (float)Epsilon;
        ref float x = ref MemoryMarshal.GetReference(value);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = value.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vb1 = Vector512.Create(b1), vr1 = Vector512.Create(r1), vb2 = Vector512.Create(b2), vr2 = Vector512.Create(r2);
            Vector512<float> vc1 = Vector512.Create(correction1), vc2 = Vector512.Create(correction2);
            Vector512<float> veps = Vector512.Create(eps), vlr = Vector512.Create(learningRate);
            for (; i <= n - 16; i += 16)
            {
                var gi = Vector512.LoadUnsafe(ref g, (nuint)i);
                var mi = vb1 * Vector512.LoadUnsafe(ref mr, (nuint)i) + vr1 * gi;
                var vi = vb2 * Vector512.LoadUnsafe(ref vr, (nuint)i) + vr2 * (gi * gi);
                mi.StoreUnsafe(ref mr, (nuint)i);
                vi.StoreUnsafe(ref vr, (nuint)i);
                var step = vlr * (mi * vc1) / (Vector512.Sqrt(vi * vc2) + veps);
                (Vector512.LoadUnsafe(ref x, (nuint)i) - step).StoreUnsafe(ref x, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float mi = b1 * m[i] + r1 * gradient[i];
            float vi = b2 * v[i] + r2 * (gradient[i] * gradient[i]);
            m[i] = mi;
            v[i] = vi;
            value[i] -= learningRate * (mi * correction1) / (MathF.Sqrt(vi * correction2) + eps);
        }
    }

    protected override void WriteConfig(IDictionary<string, object> parameters)
    {
        parameters["beta_1"] = Beta1;
        parameters["beta_2"] = Beta2;
        parameters["epsilon"] = Epsilon;
        parameters["bias_correction"] = BiasCorrection;
    }

    internal static Adam FromConfig(ConfigReader r) => new(
        ScheduleRegistry.Read(r, "learning_rate", 0.001), r.Double("beta_1", 0.9), r.Double("beta_2", 0.999),
        r.Double("epsilon", 1e-7), r.Bool("bias_correction", true), OptimizerOptions.Read(r));
}
