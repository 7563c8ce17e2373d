namespace Sparta.Tuning;

/// <summary>Thrown by an objective to stop an unpromising trial; the study records it as PRUNED.</summary>
public sealed class TrialPruned(string message = "trial pruned") : Exception(message);
