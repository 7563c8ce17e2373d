using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>
/// Multiplies the rate by <c>factor</c> every <c>step_size</c> steps:
/// lr = lr0 · factor^floor(step / step_size) (PyTorch's StepLR; factor 0.1 by default, the slides'
/// "divide by two or by ten" is factor 0.5 or 0.1).
/// </summary>
public sealed class StepDecay : LearningRateSchedule
{
    public const string RegisteredName = "step_decay";
    private const string Owner = "schedule 'step_decay'";

    public StepDecay(double initialLearningRate, int stepSize, double factor = 0.1)
    {
        InitialLearningRate = Check.Positive(initialLearningRate, "initial_learning_rate", Owner);
        StepSize = Check.AtLeast(stepSize, 1, "step_size", Owner);
        Factor = Check.Positive(factor, "factor", Owner);
    }

    public double InitialLearningRate { get; }
    public int StepSize { get; }
    public double Factor { get; }

    public override string Name => RegisteredName;

    public override double Rate(long step) => InitialLearningRate * Math.Pow(Factor, Math.Floor((double)step / StepSize));

    public override ComponentConfig GetConfig() =>
        Config(("initial_learning_rate", InitialLearningRate), ("step_size", StepSize), ("factor", Factor));

    internal static StepDecay FromConfig(ConfigReader r) =>
        new(r.Double("initial_learning_rate", 0.01), r.Int("step_size", 1000), r.Double("factor", 0.1));
}
