namespace Sparta.Reports;

/// <summary>One row of a run's <c>learning_curve.csv</c>: the loss of one optimizer step.</summary>
public readonly record struct BatchLoss(int Step, int Epoch, double Loss);
