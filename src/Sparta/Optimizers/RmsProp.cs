using Sparta.Configuration;
using Sparta.Kernels.Vectors;
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
        => ParameterSteps.Run(new RmsPropStep((float)Rho, (float)(1 - Rho), (float)Epsilon, learningRate), value, gradient, slots[0].Span, default);

    protected override void WriteConfig(IDictionary<string, object> parameters)
    {
        parameters["rho"] = Rho;
        parameters["epsilon"] = Epsilon;
    }

    internal static RmsProp FromConfig(ConfigReader r) => new(
        ScheduleRegistry.Read(r, "learning_rate", 0.001), r.Double("rho", 0.9), r.Double("epsilon", 1e-7), OptimizerOptions.Read(r));
}

/// <summary>RMSProp's update of one run of parameters, with the cache in the first slot.</summary>
internal readonly struct RmsPropStep(float rho, float oneMinusRho, float epsilon, float learningRate) : IParameterStep
{
    public void Apply<TVector>(ref float value, ref float cache, ref float unused, ref float gradient, nuint i) where TVector : struct, IFloatVector<TVector>
    {
        var g = TVector.Load(ref gradient, i);
        var c = TVector.Create(rho) * TVector.Load(ref cache, i) + TVector.Create(oneMinusRho) * (g * g);
        c.Store(ref cache, i);
        (TVector.Load(ref value, i) - TVector.Create(learningRate) * g / (TVector.Sqrt(c) + TVector.Create(epsilon))).Store(ref value, i);
    }
}
