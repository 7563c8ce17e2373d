using Sparta.Configuration;
using Sparta.Training.Callbacks;

namespace Sparta.Experiments;

/// <summary>
/// The training callbacks an experiment file can name, with the constructor arguments under
/// Keras' names: <c>{name: early_stopping, monitor: val_loss, patience: 3, restore_best_weights: true}</c>.
/// </summary>
public static class CallbackRegistry
{
    public static Registry<Callback> Registry { get; } = Build();

    private static Registry<Callback> Build()
    {
        var registry = new Registry<Callback>("callback");
        registry.Register("early_stopping", r => new EarlyStopping(
            Text(r, "monitor", "val_loss"), r.Double("min_delta", 0), r.Int("patience", 0),
            r.Choice("mode", "auto", Training.Callbacks.Monitor.Modes), r.Bool("restore_best_weights", false)));
        registry.Register("divergence_guard", r => new DivergenceGuard(r.Double("factor", 3), Text(r, "monitor", "loss")));
        return registry;
    }

    private static string Text(ConfigReader r, string key, string fallback) => r.Raw(key) switch
    {
        null => fallback,
        string s => s,
        var other => throw new ConfigKeyException($"{r.Owner}: {key} must be a logged name such as val_loss, got {other}", key,
            $"must be a logged name such as val_loss, got {other}"),
    };
}
