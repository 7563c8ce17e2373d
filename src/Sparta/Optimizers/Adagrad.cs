using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Sparta.Configuration;
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
    {
        Span<float> cache = slots[0].Span;
        float eps = (float)Epsilon;
        ref float x = ref MemoryMarshal.GetReference(value);
        ref float c = ref MemoryMarshal.GetReference(cache);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = value.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var veps = Vector512.Create(eps);
            var vlr = Vector512.Create(learningRate);
            for (; i <= n - 16; i += 16)
            {
                var gi = Vector512.LoadUnsafe(ref g, (nuint)i);
                var ci = Vector512.LoadUnsafe(ref c, (nuint)i) + gi * gi;
                ci.StoreUnsafe(ref c, (nuint)i);
                (Vector512.LoadUnsafe(ref x, (nuint)i) - vlr * gi / (Vector512.Sqrt(ci) + veps)).StoreUnsafe(ref x, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            float ci = cache[i] + gradient[i] * gradient[i];
            cache[i] = ci;
            value[i] -= learningRate * gradient[i] / (MathF.Sqrt(ci) + eps);
        }
    }

    protected override void WriteConfig(IDictionary<string, object> parameters)
    {
        parameters["initial_accumulator_value"] = InitialAccumulatorValue;
        parameters["epsilon"] = Epsilon;
    }

    internal static Adagrad FromConfig(ConfigReader r) => new(
        ScheduleRegistry.Read(r, "learning_rate", 0.001), r.Double("initial_accumulator_value", 0.1), r.Double("epsilon", 1e-7),
        OptimizerOptions.Read(r));
}
