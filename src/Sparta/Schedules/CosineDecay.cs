using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>
/// Cosine annealing from lr0 to alpha·lr0 over <c>decay_steps</c> (Loshchilov and Hutter; Keras'
/// CosineDecay). With <c>restarts</c>, the warm restarts of SGDR (Keras' CosineDecayRestarts): each
/// period is <c>period_multiplier</c> times longer than the last and starts at
/// <c>restart_multiplier</c> times the previous peak. Without restarts the rate stays at the floor.
/// </summary>
public sealed class CosineDecay : LearningRateSchedule
{
    public const string RegisteredName = "cosine";
    private const string Owner = "schedule 'cosine'";

    public CosineDecay(double initialLearningRate, int decaySteps, double alpha = 0, bool restarts = false,
        double periodMultiplier = 2, double restartMultiplier = 1)
    {
        InitialLearningRate = Check.Positive(initialLearningRate, "initial_learning_rate", Owner);
        DecaySteps = Check.AtLeast(decaySteps, 1, "decay_steps", Owner);
        Alpha = Check.InRange(alpha, 0, 1, "alpha", Owner);
        Restarts = restarts;
        PeriodMultiplier = Check.AtLeast(periodMultiplier, 1.0, "period_multiplier", Owner);
        RestartMultiplier = Check.Positive(restartMultiplier, "restart_multiplier", Owner);
    }

    public double InitialLearningRate { get; }
    public int DecaySteps { get; }
    public double Alpha { get; }
    public bool Restarts { get; }
    public double PeriodMultiplier { get; }
    public double RestartMultiplier { get; }

    public override string Name => RegisteredName;

    public override double Rate(long step)
    {
        double fraction = (double)step / DecaySteps;
        double peak = 1;
        if (!Restarts) fraction = Math.Min(fraction, 1);
        else
        {
            // Period i lasts DecaySteps·t^i steps; find the period holding this step and the
            // fraction of it already done.
            double restart;
            if (PeriodMultiplier == 1)
            {
                restart = Math.Floor(fraction);
                fraction -= restart;
            }
            else
            {
                restart = Math.Floor(Math.Log(1 - fraction * (1 - PeriodMultiplier)) / Math.Log(PeriodMultiplier));
                double elapsed = (1 - Math.Pow(PeriodMultiplier, restart)) / (1 - PeriodMultiplier);
                fraction = (fraction - elapsed) / Math.Pow(PeriodMultiplier, restart);
            }
            peak = Math.Pow(RestartMultiplier, restart);
        }
        double cosine = 0.5 * peak * (1 + Math.Cos(Math.PI * fraction));
        return InitialLearningRate * ((1 - Alpha) * cosine + Alpha);
    }

    public override ComponentConfig GetConfig() => Config(
        ("initial_learning_rate", InitialLearningRate), ("decay_steps", DecaySteps), ("alpha", Alpha),
        ("restarts", Restarts), ("period_multiplier", PeriodMultiplier), ("restart_multiplier", RestartMultiplier));

    internal static CosineDecay FromConfig(ConfigReader r) => new(
        r.Double("initial_learning_rate", 0.01), r.Int("decay_steps", 1000), r.Double("alpha", 0),
        r.Bool("restarts", false), r.Double("period_multiplier", 2), r.Double("restart_multiplier", 1));
}
