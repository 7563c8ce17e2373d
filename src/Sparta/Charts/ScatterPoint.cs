namespace Sparta.Charts;

/// <summary>
/// One point of a <see cref="ScatterSeries"/>: its state (a trial's <c>complete</c>, <c>pruned</c>,
/// <c>failed</c>, ...) sets its colour and CSS class; the tooltip is shown on hover.
/// </summary>
public sealed record ScatterPoint(double X, double Y, string State = ScatterPoint.Complete, int? Trial = null, string? Tooltip = null)
{
    public const string Complete = "complete";
}
