namespace Sparta.Charts;

/// <summary>How an axis maps numbers to positions: evenly, or evenly in powers of ten.</summary>
public enum AxisScale
{
    Linear,
    Log,
}
