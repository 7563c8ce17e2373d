using Sparta.Configuration;
using Sparta.Schedules;

namespace Sparta.Tests.Schedules;

/// <summary>Schedules at given steps against their closed forms.</summary>
public class ScheduleTests
{
    [Fact]
    public void Constant() => AssertRates(new ConstantSchedule(0.3), (0, 0.3), (1000, 0.3));

    [Fact]
    public void StepDecayDropsByTheFactorEveryStepSize() =>
        AssertRates(new StepDecay(1.0, stepSize: 10, factor: 0.5), (0, 1.0), (9, 1.0), (10, 0.5), (25, 0.25), (30, 0.125));

    [Fact]
    public void ExponentialDecay() =>
        AssertRates(new ExponentialDecay(0.1, decaySteps: 100, decayRate: 0.5), (0, 0.1), (50, 0.1 * Math.Sqrt(0.5)), (100, 0.05), (300, 0.0125));

    [Fact]
    public void LinearDecayReachesTheFloorThenStays() =>
        AssertRates(new LinearDecay(1.0, decaySteps: 100, finalLearningRate: 0.1), (0, 1.0), (50, 0.55), (100, 0.1), (1000, 0.1));

    [Fact]
    public void CosineDecay() =>
        AssertRates(new CosineDecay(1.0, decaySteps: 100, alpha: 0.1),
            (0, 1.0), (50, 0.1 + 0.9 * 0.5), (25, 0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI / 4))), (100, 0.1), (150, 0.1));

    [Fact]
    public void CosineWarmRestartsWithEqualPeriods()
    {
        var schedule = new CosineDecay(1.0, decaySteps: 10, restarts: true, periodMultiplier: 1, restartMultiplier: 0.5);
        AssertRates(schedule, (0, 1.0), (5, 0.5), (10, 0.5), (15, 0.25), (20, 0.25));
    }

    [Fact]
    public void CosineWarmRestartsWithGrowingPeriods()
    {
        // Periods of 10, 20, 40 steps starting at steps 0, 10, 30.
        var schedule = new CosineDecay(1.0, decaySteps: 10, restarts: true, periodMultiplier: 2);
        double Cosine(double fraction) => 0.5 * (1 + Math.Cos(Math.PI * fraction));
        AssertRates(schedule, (9, Cosine(0.9)), (10, 1.0), (20, Cosine(0.5)), (30, 1.0), (40, Cosine(0.25)));
    }

    [Fact]
    public void WarmupClimbsLinearlyThenRunsTheWrappedSchedule()
    {
        var schedule = new Warmup(new ExponentialDecay(0.1, 10, 0.5), warmupSteps: 4, startFactor: 0.2);
        AssertRates(schedule, (0, 0.02), (2, 0.1 * (0.2 + 0.8 * 0.5)), (4, 0.1), (14, 0.05));
    }

    [Fact]
    public void TriangularCycles()
    {
        var schedule = new CyclicalSchedule(0.001, 0.006, stepSize: 10);
        AssertRates(schedule, (0, 0.001), (5, 0.0035), (10, 0.006), (15, 0.0035), (20, 0.001), (30, 0.006));
    }

    [Fact]
    public void Triangular2HalvesTheAmplitudeEveryCycle()
    {
        var schedule = new CyclicalSchedule(0.001, 0.006, stepSize: 10, mode: "triangular2");
        AssertRates(schedule, (10, 0.006), (30, 0.001 + 0.005 / 2), (50, 0.001 + 0.005 / 4));
    }

    [Fact]
    public void ExpRangeScalesTheAmplitudeByGammaToTheStep()
    {
        var schedule = new CyclicalSchedule(0.001, 0.006, stepSize: 10, mode: "exp_range", gamma: 0.99);
        AssertRates(schedule, (10, 0.001 + 0.005 * Math.Pow(0.99, 10)), (35, 0.001 + 0.005 * 0.5 * Math.Pow(0.99, 35)));
    }

    [Fact]
    public void OneCycleRisesToTheMaximumThenAnnealsToTheFloor()
    {
        // 100 steps, 30% warm-up: peak at step 29, end at step 99 (PyTorch's OneCycleLR indexing).
        var schedule = new OneCycle(1.0, totalSteps: 100, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4);
        double initial = 1.0 / 25, final = initial / 1e4;
        double Cos(double start, double end, double pct) => end + (start - end) / 2 * (1 + Math.Cos(Math.PI * pct));
        AssertRates(schedule, (0, initial), (29, 1.0), (10, Cos(initial, 1.0, 10.0 / 29)), (64, Cos(1.0, final, 35.0 / 70)), (99, final), (150, final));
    }

    [Fact]
    public void OneCycleLinearAnnealing()
    {
        // Peak at step 0.5 * 21 - 1 = 9.5, end at step 20.
        var schedule = new OneCycle(1.0, totalSteps: 21, pctStart: 0.5, divFactor: 25, finalDivFactor: 4, anneal: "linear");
        AssertRates(schedule, (2, 0.04 + 0.96 * 2 / 9.5), (15, 1 - (1 - 0.01) * 5.5 / 10.5), (20, 0.01));
    }

    [Fact]
    public void ReduceOnPlateauFollowsPatienceAndCooldown()
    {
        var schedule = new ReduceOnPlateau(1.0, factor: 0.5, patience: 2, cooldown: 1, minLearningRate: 0.2);
        double[] losses = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95];
        // epoch: 0 best, 1 best, 2 wait 1, 3 wait 2 -> reduce to 0.5 (cooldown 1), 4 cooldown,
        // 5 wait 1, 6 wait 2 -> 0.25, 7 cooldown, 8 wait 1, 9 wait 2 -> floor 0.2.
        double[] expected = [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2];
        for (int epoch = 0; epoch < losses.Length; epoch++)
        {
            schedule.Report(losses[epoch]);
            Assert.Equal(expected[epoch], schedule.Rate(epoch), 12);
        }
    }

    [Fact]
    public void ReduceOnPlateauInMaxModeTreatsRisesAsImprovements()
    {
        var schedule = new ReduceOnPlateau(1.0, factor: 0.1, patience: 1, mode: "max");
        Assert.False(schedule.Report(0.5));
        Assert.False(schedule.Report(0.6));
        Assert.True(schedule.Report(0.6));
        Assert.Equal(0.1, schedule.Rate(0), 12);
    }

    [Fact]
    public void ReduceOnPlateauStateRoundTrips()
    {
        var a = new ReduceOnPlateau(1.0, patience: 3);
        foreach (double loss in new[] { 1.0, 2, 2, 2, 2 }) a.Report(loss);
        var b = new ReduceOnPlateau(1.0, patience: 3);
        b.ImportState(a.ExportState());
        foreach (double loss in new[] { 2.0, 2, 2, 0.5 })
        {
            Assert.Equal(a.Report(loss), b.Report(loss));
            Assert.Equal(a.Rate(0), b.Rate(0));
        }
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("step_decay")]
    [InlineData("exponential")]
    [InlineData("linear_decay")]
    [InlineData("cosine")]
    [InlineData("warmup")]
    [InlineData("cyclical")]
    [InlineData("one_cycle")]
    [InlineData("reduce_on_plateau")]
    public void ConfigRoundTrips(string name)
    {
        var config = ScheduleRegistry.Create(new ComponentConfig(name)).GetConfig();
        Assert.Equal(name, config.Name);
        var again = ScheduleRegistry.Create(ComponentConfig.FromJson(config.ToJson()));
        Assert.Equal(config, again.GetConfig());
    }

    [Fact]
    public void NestedScheduleRoundTripsWithItsRates()
    {
        var schedule = new Warmup(new CosineDecay(0.1, 1000, restarts: true), 50, 0.1);
        var copy = ScheduleRegistry.Create(ComponentConfig.FromJson(schedule.GetConfig().ToJson()));
        foreach (long step in new long[] { 0, 10, 49, 50, 700, 5000 }) Assert.Equal(schedule.Rate(step), copy.Rate(step));
    }

    [Fact]
    public void BadArgumentsAreOneLineErrorsNamingArgumentAndValue()
    {
        AssertError(() => new StepDecay(0.1, stepSize: 0), "step_size", "0");
        AssertError(() => new CyclicalSchedule(mode: "sawtooth"), "mode", "'sawtooth'");
        AssertError(() => new CyclicalSchedule(0.01, 0.001), "max_lr", "0.001");
        AssertError(() => new CosineDecay(0.1, 10, alpha: 2), "alpha", "2");
        AssertError(() => new ReduceOnPlateau(0.1, factor: 1.5), "factor", "1.5");
        AssertError(() => ScheduleRegistry.Create(new ComponentConfig("cosin")), "'cosin'", "cosine");
        AssertError(() => ScheduleRegistry.Create(new ComponentConfig("cosine", [new("decay_step", 5.0)])), "'decay_step'", "decay_steps");
        AssertError(() => ScheduleRegistry.Create(new ComponentConfig("one_cycle", [new("total_steps", 10.5)])), "total_steps", "10.5");
    }

    private static void AssertError(Action action, string argument, string value)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(argument, e.Message);
        Assert.Contains(value, e.Message);
    }

    private static void AssertRates(LearningRateSchedule schedule, params (long Step, double Rate)[] expected)
    {
        foreach (var (step, rate) in expected)
            Assert.True(Math.Abs(schedule.Rate(step) - rate) < 1e-12, $"{schedule.Name} at step {step}: expected {rate}, got {schedule.Rate(step)}");
    }
}
