using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>
/// The learning rate as a function of the optimizer's step (0 for the first update), as in
/// Keras' LearningRateSchedule. Schedules count optimizer steps, not epochs: multiply epochs by
/// the steps per epoch. A plain number converts to a <see cref="ConstantSchedule"/>.
/// </summary>
public abstract class LearningRateSchedule
{
    private static readonly IReadOnlyDictionary<string, double> NoState = new Dictionary<string, double>();

    /// <summary>The registered name (see <see cref="ScheduleRegistry"/>).</summary>
    public abstract string Name { get; }

    public abstract double Rate(long step);

    /// <summary>Name and every parameter, defaults included; <see cref="ScheduleRegistry.Create"/> inverts it.</summary>
    public abstract ComponentConfig GetConfig();

    /// <summary>What a checkpoint must keep besides the config (only stateful schedules have any).</summary>
    public virtual IReadOnlyDictionary<string, double> ExportState() => NoState;

    public virtual void ImportState(IReadOnlyDictionary<string, double> state)
    {
        if (state.Count > 0)
            throw new ArgumentException($"schedule '{Name}': holds no state, got keys {string.Join(", ", state.Keys)}");
    }

    public static implicit operator LearningRateSchedule(double rate) => new ConstantSchedule(rate);

    public override string ToString() => GetConfig().ToJson();

    protected ComponentConfig Config(params (string Key, object Value)[] parameters) =>
        new(Name, parameters.Select(p => new KeyValuePair<string, object>(p.Key, p.Value)));
}
