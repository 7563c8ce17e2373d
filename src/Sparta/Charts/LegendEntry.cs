namespace Sparta.Charts;

/// <summary>One line of a legend: a swatch (a short line, or a dot for points) and its name.</summary>
public sealed record LegendEntry(string Label, string Color, bool Dot, bool Dashed = false);
