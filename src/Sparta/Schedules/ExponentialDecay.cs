using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>lr = lr0 · decay_rate^(step / decay_steps), smooth (Keras' ExponentialDecay, staircase off).</summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    public const string RegisteredName = "exponential";
    private const string Owner = "schedule 'exponential'";

    public ExponentialDecay(double initialLearningRate, int decaySteps, double decayRate)
    {
        InitialLearningRate = Check.Positive(initialLearningRate, "initial_learning_rate", Owner);
        DecaySteps = Check.AtLeast(decaySteps, 1, "decay_steps", Owner);
        DecayRate = Check.Positive(decayRate, "decay_rate", Owner);
    }

    public double InitialLearningRate { get; }
    public int DecaySteps { get; }
    public double DecayRate { get; }

    public override string Name => RegisteredName;

    public override double Rate(long step) => InitialLearningRate * Math.Pow(DecayRate, (double)step / DecaySteps);

    public override ComponentConfig GetConfig() =>
        Config(("initial_learning_rate", InitialLearningRate), ("decay_steps", DecaySteps), ("decay_rate", DecayRate));

    internal static ExponentialDecay FromConfig(ConfigReader r) =>
        new(r.Double("initial_learning_rate", 0.01), r.Int("decay_steps", 1000), r.Double("decay_rate", 0.96));
}
