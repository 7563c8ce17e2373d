using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>
/// Leslie Smith's cyclical learning rate (CLR, 2017): the rate moves linearly between base_lr and
/// max_lr and back, each half cycle lasting <c>step_size</c> steps. Modes: <c>triangular</c>
/// (constant amplitude), <c>triangular2</c> (amplitude halved every cycle) and <c>exp_range</c>
/// (amplitude scaled by gamma^step). Defaults are the paper's (0.001, 0.006, 2000).
/// </summary>
public sealed class CyclicalSchedule : LearningRateSchedule
{
    public const string RegisteredName = "cyclical";
    private const string Owner = "schedule 'cyclical'";
    public static readonly string[] Modes = ["triangular", "triangular2", "exp_range"];

    public CyclicalSchedule(double baseLearningRate = 0.001, double maxLearningRate = 0.006, int stepSize = 2000,
        string mode = "triangular", double gamma = 1)
    {
        BaseLearningRate = Check.Positive(baseLearningRate, "base_lr", Owner);
        MaxLearningRate = Check.AtLeast(maxLearningRate, baseLearningRate, "max_lr", Owner);
        StepSize = Check.AtLeast(stepSize, 1, "step_size", Owner);
        if (!Modes.Contains(mode))
            throw new ArgumentException($"{Owner}: mode must be one of {string.Join(", ", Modes)}, got '{mode}'");
        Mode = mode;
        Gamma = Check.Positive(gamma, "gamma", Owner);
    }

    public double BaseLearningRate { get; }
    public double MaxLearningRate { get; }
    public int StepSize { get; }
    public string Mode { get; }
    public double Gamma { get; }

    public override string Name => RegisteredName;

    public override double Rate(long step)
    {
        double cycle = Math.Floor(1 + step / (2.0 * StepSize));
        double x = Math.Abs((double)step / StepSize - 2 * cycle + 1);
        double scale = Mode switch
        {
            "triangular2" => 1 / Math.Pow(2, cycle - 1),
            "exp_range" => Math.Pow(Gamma, step),
            _ => 1,
        };
        return BaseLearningRate + (MaxLearningRate - BaseLearningRate) * Math.Max(0, 1 - x) * scale;
    }

    public override ComponentConfig GetConfig() => Config(
        ("base_lr", BaseLearningRate), ("max_lr", MaxLearningRate), ("step_size", StepSize), ("mode", Mode), ("gamma", Gamma));

    internal static CyclicalSchedule FromConfig(ConfigReader r) => new(
        r.Double("base_lr", 0.001), r.Double("max_lr", 0.006), r.Int("step_size", 2000),
        r.Choice("mode", "triangular", Modes), r.Double("gamma", 1));
}
