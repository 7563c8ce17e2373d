using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>
/// Decreases linearly from lr0 to a floor over <c>decay_steps</c>, then stays at the floor: the
/// slides' "decay over a fixed number of epochs, then keep a small constant rate" (Keras'
/// PolynomialDecay with power 1).
/// </summary>
public sealed class LinearDecay : LearningRateSchedule
{
    public const string RegisteredName = "linear_decay";
    private const string Owner = "schedule 'linear_decay'";

    public LinearDecay(double initialLearningRate, int decaySteps, double finalLearningRate = 0)
    {
        InitialLearningRate = Check.Positive(initialLearningRate, "initial_learning_rate", Owner);
        DecaySteps = Check.AtLeast(decaySteps, 1, "decay_steps", Owner);
        FinalLearningRate = Check.NonNegative(finalLearningRate, "final_learning_rate", Owner);
    }

    public double InitialLearningRate { get; }
    public int DecaySteps { get; }
    public double FinalLearningRate { get; }

    public override string Name => RegisteredName;

    public override double Rate(long step)
    {
        double progress = Math.Min(step, DecaySteps) / (double)DecaySteps;
        return InitialLearningRate + (FinalLearningRate - InitialLearningRate) * progress;
    }

    public override ComponentConfig GetConfig() => Config(
        ("initial_learning_rate", InitialLearningRate), ("decay_steps", DecaySteps), ("final_learning_rate", FinalLearningRate));

    internal static LinearDecay FromConfig(ConfigReader r) =>
        new(r.Double("initial_learning_rate", 0.01), r.Int("decay_steps", 1000), r.Double("final_learning_rate", 0));
}
