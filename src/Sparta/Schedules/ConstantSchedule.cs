using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>The same learning rate at every step.</summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    public const string RegisteredName = "constant";

    public ConstantSchedule(double learningRate) =>
        LearningRate = Check.Positive(learningRate, "learning_rate", "schedule 'constant'");

    public double LearningRate { get; }

    public override string Name => RegisteredName;

    public override double Rate(long step) => LearningRate;

    public override ComponentConfig GetConfig() => Config(("learning_rate", LearningRate));

    internal static ConstantSchedule FromConfig(ConfigReader r) => new(r.Double("learning_rate", 0.01));
}
