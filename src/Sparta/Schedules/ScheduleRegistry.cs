using Sparta.Configuration;

namespace Sparta.Schedules;

/// <summary>Learning-rate schedules by registered name, and the number-or-config convention of configs.</summary>
public static class ScheduleRegistry
{
    public static Registry<LearningRateSchedule> Registry { get; } = Build();

    public static LearningRateSchedule Create(ComponentConfig config) => Registry.Create(config);

    /// <summary>A learning rate written either as a number (constant) or as a schedule config.</summary>
    public static LearningRateSchedule Read(ConfigReader reader, string key, double fallback) => reader.Raw(key) switch
    {
        null => new ConstantSchedule(fallback),
        ComponentConfig config => Create(config),
        var other => ConfigReader.AsNumber(other) is double rate
            ? new ConstantSchedule(rate)
            : throw new ConfigKeyException($"{reader.Owner}: {key} must be a number or a schedule config, got '{other}'", key,
                $"must be a number or a schedule config, got '{other}'"),
    };

    /// <summary>The inverse of <see cref="Read"/>: a constant schedule is written as its number.</summary>
    public static object ToValue(LearningRateSchedule schedule) =>
        schedule is ConstantSchedule constant ? constant.LearningRate : schedule.GetConfig();

    private static Registry<LearningRateSchedule> Build()
    {
        var registry = new Registry<LearningRateSchedule>("schedule");
        registry.Register(ConstantSchedule.RegisteredName, ConstantSchedule.FromConfig);
        registry.Register(StepDecay.RegisteredName, StepDecay.FromConfig);
        registry.Register(ExponentialDecay.RegisteredName, ExponentialDecay.FromConfig);
        registry.Register(LinearDecay.RegisteredName, LinearDecay.FromConfig);
        registry.Register(CosineDecay.RegisteredName, CosineDecay.FromConfig);
        registry.Register(Warmup.RegisteredName, Warmup.FromConfig);
        registry.Register(CyclicalSchedule.RegisteredName, CyclicalSchedule.FromConfig);
        registry.Register(OneCycle.RegisteredName, OneCycle.FromConfig);
        registry.Register(ReduceOnPlateau.RegisteredName, ReduceOnPlateau.FromConfig);
        registry.Register(ExponentialRamp.RegisteredName, ExponentialRamp.FromConfig);
        return registry;
    }
}
