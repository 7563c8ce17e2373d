using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>
/// lr = start·(end/start)^(step/(steps−1)), held at end afterwards: the rate grows by equal ratios from
/// step to step, as the learning-rate range test sweeps it (Smith 2017; fastai's lr_find).
/// </summary>
public sealed class ExponentialRamp : LearningRateSchedule
{
    public const string RegisteredName = "exponential_ramp";
    private const string Owner = "schedule 'exponential_ramp'";

    public ExponentialRamp(double start, double end, int steps)
    {
        Start = Check.Positive(start, "start", Owner);
        End = Check.Positive(end, "end", Owner);
        Steps = Check.AtLeast(steps, 2, "steps", Owner);
    }

    public double Start { get; }
    public double End { get; }
    public int Steps { get; }

    public override string Name => RegisteredName;

    public override double Rate(long step) => Start * Math.Pow(End / Start, Math.Min(step, Steps - 1) / (double)(Steps - 1));

    public override ComponentConfig GetConfig() => Config(("start", Start), ("end", End), ("steps", Steps));

    internal static ExponentialRamp FromConfig(ConfigReader r) => new(r.Double("start", 1e-7), r.Double("end", 10), r.Int("steps", 100));
}
