using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>
/// Smith's one-cycle policy as PyTorch's OneCycleLR: warm up from max_lr/div_factor to max_lr
/// over the first <c>pct_start</c> of <c>total_steps</c>, then anneal to
/// max_lr/(div_factor·final_div_factor); cosine annealing by default, linear as an option. Steps past
/// the end keep the final rate.
/// </summary>
public sealed class OneCycle : LearningRateSchedule
{
    public const string RegisteredName = "one_cycle";
    private const string Owner = "schedule 'one_cycle'";
    public static readonly string[] Annealings = ["cos", "linear"];

    public OneCycle(double maxLearningRate, int totalSteps, double pctStart = 0.3, double divFactor = 25,
        double finalDivFactor = 1e4, string anneal = "cos")
    {
        MaxLearningRate = Check.Positive(maxLearningRate, "max_lr", Owner);
        TotalSteps = Check.AtLeast(totalSteps, 2, "total_steps", Owner);
        PctStart = Check.InRange(pctStart, 0, 1, "pct_start", Owner);
        DivFactor = Check.Positive(divFactor, "div_factor", Owner);
        FinalDivFactor = Check.Positive(finalDivFactor, "final_div_factor", Owner);
        if (!Annealings.Contains(anneal))
            throw new ArgumentException($"{Owner}: anneal must be one of {string.Join(", ", Annealings)}, got '{anneal}'");
        Anneal = anneal;
    }

    public double MaxLearningRate { get; }
    public int TotalSteps { get; }
    public double PctStart { get; }
    public double DivFactor { get; }
    public double FinalDivFactor { get; }
    public string Anneal { get; }

    public override string Name => RegisteredName;

    public override double Rate(long step)
    {
        double initial = MaxLearningRate / DivFactor;
        double final = initial / FinalDivFactor;
        double peakStep = PctStart * TotalSteps - 1;
        double lastStep = TotalSteps - 1;
        if (step <= peakStep) return Interpolate(initial, MaxLearningRate, peakStep > 0 ? step / peakStep : 1);
        return Interpolate(MaxLearningRate, final, Math.Min(1, (step - peakStep) / (lastStep - peakStep)));
    }

    private double Interpolate(double start, double end, double fraction) => Anneal == "cos"
        ? end + (start - end) / 2 * (1 + Math.Cos(Math.PI * fraction))
        : start + (end - start) * fraction;

    public override ComponentConfig GetConfig() => Config(
        ("max_lr", MaxLearningRate), ("total_steps", TotalSteps), ("pct_start", PctStart),
        ("div_factor", DivFactor), ("final_div_factor", FinalDivFactor), ("anneal", Anneal));

    internal static OneCycle FromConfig(ConfigReader r) => new(
        r.Double("max_lr", 0.01), r.Int("total_steps", 1000), r.Double("pct_start", 0.3),
        r.Double("div_factor", 25), r.Double("final_div_factor", 1e4), r.Choice("anneal", "cos", Annealings));
}
