using Sparta.Configuration;
using Sparta.Kernels.Vectors;
using Sparta.Schedules;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Optimizers;

/// <summary>
/// Adagrad (Duchi et al. 2011), the slides' form: cache += g²; x −= lr·g / (√cache + ε).
/// Defaults follow Keras (lr 0.001, initial accumulator 0.1, ε 1e-7); the slides start the cache
/// at 0 (<c>initial_accumulator_value: 0</c>, as PyTorch).
/// </summary>
public sealed class Adagrad : Optimizer
{
    public const string RegisteredName = "adagrad";
    private static readonly string[] Slots = ["accumulator"];

    public Adagrad(LearningRateSchedule? learningRate = null, double initialAccumulatorValue = 0.1, double epsilon = 1e-7,
        OptimizerOptions? options = null)
        : base(learningRate ?? 0.001, options)
    {
        InitialAccumulatorValue = Check.NonNegative(initialAccumulatorValue, "initial_accumulator_value", Owner);
        Epsilon = Check.Positive(epsilon, "epsilon", Owner);
    }

    public override string Name => RegisteredName;
    public double InitialAccumulatorValue { get; }
    public double Epsilon { get; }

    protected override IReadOnlyList<string> SlotNames => Slots;

    protected override void InitializeSlots(Tensor[][] slots)
    {
        foreach (var parameterSlots in slots) parameterSlots[0].Span.Fill((float)InitialAccumulatorValue);
    }

    protected override void Update(Span<float> value, ReadOnlySpan<float> gradient, Tensor[] slots, float learningRate)
        => ParameterSteps.Run(new AdagradStep((float)Epsilon, learningRate), value, gradient, slots[0].Span, default);

    protected override void WriteConfig(IDictionary<string, object> parameters)
    {
        parameters["initial_accumulator_value"] = InitialAccumulatorValue;
        parameters["epsilon"] = Epsilon;
    }

    internal static Adagrad FromConfig(ConfigReader r) => new(
        ScheduleRegistry.Read(r, "learning_rate", 0.001), r.Double("initial_accumulator_value", 0.1), r.Double("epsilon", 1e-7),
        OptimizerOptions.Read(r));
}

/// <summary>Adagrad's update of one run of parameters, with the accumulator in the first slot.</summary>
internal readonly struct AdagradStep(float epsilon, float learningRate) : IParameterStep
{
    public void Apply<TVector>(ref float value, ref float accumulator, ref float unused, ref float gradient, nuint i) where TVector : struct, IFloatVector<TVector>
    {
        var g = TVector.Load(ref gradient, i);
        var c = TVector.Load(ref accumulator, i) + g * g;
        c.Store(ref accumulator, i);
        (TVector.Load(ref value, i) - TVector.Create(learningRate) * g / (TVector.Sqrt(c) + TVector.Create(epsilon))).Store(ref value, i);
    }
}
