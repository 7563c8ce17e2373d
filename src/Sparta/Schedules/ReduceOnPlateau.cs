using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>
/// Keras' ReduceLROnPlateau as a schedule: fed a validation metric once per epoch through
/// <see cref="Report"/>, it multiplies the rate by <c>factor</c> after <c>patience</c> epochs without
/// an improvement larger than <c>min_delta</c>, then waits <c>cooldown</c> epochs; never below
/// <c>min_lr</c>. Its state (rate, best, counters) goes into checkpoints.
/// </summary>
public sealed class ReduceOnPlateau : LearningRateSchedule
{
    public const string RegisteredName = "reduce_on_plateau";
    private const string Owner = "schedule 'reduce_on_plateau'";
    public static readonly string[] Modes = ["min", "max"];

    public ReduceOnPlateau(double learningRate, double factor = 0.1, int patience = 10, string mode = "min",
        double minDelta = 1e-4, int cooldown = 0, double minLearningRate = 0)
    {
        InitialLearningRate = Check.Positive(learningRate, "learning_rate", Owner);
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), $"{Owner}: factor must be in (0, 1), got {factor}");
        Factor = factor;
        Patience = Check.AtLeast(patience, 0, "patience", Owner);
        if (!Modes.Contains(mode)) throw new ArgumentException($"{Owner}: mode must be one of min, max, got '{mode}'");
        Mode = mode;
        MinDelta = Check.NonNegative(minDelta, "min_delta", Owner);
        Cooldown = Check.AtLeast(cooldown, 0, "cooldown", Owner);
        MinLearningRate = Check.NonNegative(minLearningRate, "min_lr", Owner);
        CurrentLearningRate = InitialLearningRate;
        Best = mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;
    }

    public double InitialLearningRate { get; }
    public double Factor { get; }
    public int Patience { get; }
    public string Mode { get; }
    public double MinDelta { get; }
    public int Cooldown { get; }
    public double MinLearningRate { get; }

    public double CurrentLearningRate { get; private set; }
    public double Best { get; private set; }
    public int Wait { get; private set; }
    public int CooldownCounter { get; private set; }

    public override string Name => RegisteredName;

    public override double Rate(long step) => CurrentLearningRate;

    /// <summary>Feeds one epoch's monitored value; returns true when the rate was reduced.</summary>
    public bool Report(double value)
    {
        bool inCooldown = CooldownCounter > 0;
        if (inCooldown)
        {
            CooldownCounter--;
            Wait = 0;
        }
        if (Improves(value))
        {
            Best = value;
            Wait = 0;
            return false;
        }
        if (inCooldown || ++Wait < Patience) return false;
        Wait = 0;
        if (CurrentLearningRate <= MinLearningRate) return false;
        CurrentLearningRate = Math.Max(CurrentLearningRate * Factor, MinLearningRate);
        CooldownCounter = Cooldown;
        return true;
    }

    // NaN never improves, so a diverging run keeps counting towards a reduction.
    private bool Improves(double value) => Mode == "min" ? value < Best - MinDelta : value > Best + MinDelta;

    public override IReadOnlyDictionary<string, double> ExportState() => new Dictionary<string, double>
    {
        ["learning_rate"] = CurrentLearningRate,
        ["best"] = Best,
        ["wait"] = Wait,
        ["cooldown_counter"] = CooldownCounter,
    };

    public override void ImportState(IReadOnlyDictionary<string, double> state)
    {
        string[] keys = ["learning_rate", "best", "wait", "cooldown_counter"];
        foreach (string key in keys)
            if (!state.ContainsKey(key)) throw new ArgumentException($"{Owner}: state lacks key '{key}'");
        CurrentLearningRate = state["learning_rate"];
        Best = state["best"];
        Wait = (int)state["wait"];
        CooldownCounter = (int)state["cooldown_counter"];
    }

    public override ComponentConfig GetConfig() => Config(
        ("learning_rate", InitialLearningRate), ("factor", Factor), ("patience", Patience), ("mode", Mode),
        ("min_delta", MinDelta), ("cooldown", Cooldown), ("min_lr", MinLearningRate));

    internal static ReduceOnPlateau FromConfig(ConfigReader r) => new(
        r.Double("learning_rate", 0.01), r.Double("factor", 0.1), r.Int("patience", 10), r.Choice("mode", "min", Modes),
        r.Double("min_delta", 1e-4), r.Int("cooldown", 0), r.Double("min_lr", 0));
}
