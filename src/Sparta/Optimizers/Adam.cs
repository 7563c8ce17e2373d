using Sparta.Configuration;
using Sparta.Kernels.Vectors;
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
        long t = Iterations + 1;
        float correction1 = BiasCorrection ? (float)(1 / (1 - Math.Pow(Beta1, t))) : 1f;
        float correction2 = BiasCorrection ? (float)(1 / (1 - Math.Pow(Beta2, t))) : 1f;
        var step = new AdamStep((float)Beta1, (float)(1 - Beta1), (float)Beta2, (float)(1 - Beta2), correction1, correction2, (float)Epsilon, learningRate);
        ParameterSteps.Run(step, value, gradient, slots[0].Span, slots[1].Span);
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

/// <summary>Adam's update of one run of parameters, with m in the first slot and v in the second.</summary>
internal readonly struct AdamStep(float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float correction1, float correction2, float epsilon, float learningRate)
    : IParameterStep
{
    public void Apply<TVector>(ref float value, ref float m, ref float v, ref float gradient, nuint i) where TVector : struct, IFloatVector<TVector>
    {
        var g = TVector.Load(ref gradient, i);
        var mi = TVector.Create(beta1) * TVector.Load(ref m, i) + TVector.Create(oneMinusBeta1) * g;
        var vi = TVector.Create(beta2) * TVector.Load(ref v, i) + TVector.Create(oneMinusBeta2) * (g * g);
        mi.Store(ref m, i);
        vi.Store(ref v, i);
        var step = TVector.Create(learningRate) * (mi * TVector.Create(correction1))
            / (TVector.Sqrt(vi * TVector.Create(correction2)) + TVector.Create(epsilon));
        (TVector.Load(ref value, i) - step).Store(ref value, i);
    }
}
