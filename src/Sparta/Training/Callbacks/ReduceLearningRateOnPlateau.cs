using Sparta.Schedules;

namespace Sparta.Training.Callbacks;

/// <summary>
/// Feeds the monitored value to the optimizer's <see cref="ReduceOnPlateau"/> schedule at the end of
/// every epoch (the schedule itself decides when to cut the rate). Other schedules count optimizer
/// steps, so they advance every batch without a callback.
/// </summary>
public sealed class ReduceLearningRateOnPlateau : Callback
{
    public ReduceLearningRateOnPlateau(string monitor = "val_loss") => Monitor = monitor;

    public string Monitor { get; }

    /// <summary>Epochs at whose end the rate was reduced.</summary>
    public List<int> Reductions { get; } = [];

    public override void OnTrainBegin(Trainer trainer)
    {
        if (trainer.Optimizer is not Optimizers.Optimizer { LearningRate: ReduceOnPlateau })
            throw new InvalidOperationException($"reduce on plateau: optimizer '{trainer.Optimizer.Name}' has no '{ReduceOnPlateau.RegisteredName}' schedule");
    }

    public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var schedule = (ReduceOnPlateau)((Optimizers.Optimizer)trainer.Optimizer).LearningRate;
        double value = logs.TryGetValue(Monitor, out double v) ? v
            : throw new InvalidOperationException($"reduce on plateau: monitor '{Monitor}' is not logged; logged: {string.Join(", ", logs.Keys)}");
        if (schedule.Report(value)) Reductions.Add(epoch);
    }
}
