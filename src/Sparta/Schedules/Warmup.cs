using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>
/// Linear warm-up in front of another schedule: for step &lt; W the rate climbs from
/// start_factor·r0 to r0 (r0 = the wrapped schedule's first rate), then the wrapped schedule runs
/// from its own step 0 (as PyTorch's SequentialLR of LinearLR and the main schedule).
/// </summary>
public sealed class Warmup : LearningRateSchedule
{
    public const string RegisteredName = "warmup";
    private const string Owner = "schedule 'warmup'";

    public Warmup(LearningRateSchedule schedule, int warmupSteps, double startFactor = 0)
    {
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule), $"{Owner}: schedule is required");
        WarmupSteps = Check.AtLeast(warmupSteps, 1, "warmup_steps", Owner);
        StartFactor = Check.InRange(startFactor, 0, 1, "start_factor", Owner);
    }

    public LearningRateSchedule Schedule { get; }
    public int WarmupSteps { get; }
    public double StartFactor { get; }

    public override string Name => RegisteredName;

    public override double Rate(long step)
    {
        if (step >= WarmupSteps) return Schedule.Rate(step - WarmupSteps);
        return Schedule.Rate(0) * (StartFactor + (1 - StartFactor) * step / WarmupSteps);
    }

    public override IReadOnlyDictionary<string, double> ExportState() => Schedule.ExportState();

    public override void ImportState(IReadOnlyDictionary<string, double> state) => Schedule.ImportState(state);

    public override ComponentConfig GetConfig() => Config(
        ("schedule", ScheduleRegistry.ToValue(Schedule)), ("warmup_steps", WarmupSteps), ("start_factor", StartFactor));

    internal static Warmup FromConfig(ConfigReader r) => new(
        ScheduleRegistry.Read(r, "schedule", 0.01), r.Int("warmup_steps", 1000), r.Double("start_factor", 0));
}
