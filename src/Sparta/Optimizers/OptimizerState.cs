namespace Sparta.Optimizers;

/// <summary>
/// Everything an optimizer needs to resume exactly: its step count, its slots keyed
/// "parameter/slot" (e.g. "dense_1.kernel/m"), and its schedule's state (for stateful schedules).
/// </summary>
public sealed record OptimizerState(
    long Iterations,
    IReadOnlyDictionary<string, float[]> Slots,
    IReadOnlyDictionary<string, double> Schedule);
