namespace Sparta.Charts;

/// <summary>A labelled position on an axis.</summary>
public readonly record struct Tick(double Value, string Label);
