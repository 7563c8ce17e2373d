namespace Sparta.Training.Callbacks;

/// <summary>
/// A History key watched for improvement (Keras' monitor/mode/min_delta): the direction comes from
/// the metric ("auto") unless given as "min" or "max".
/// </summary>
internal sealed class Monitor
{
    public static readonly string[] Modes = ["auto", "min", "max"];
    private readonly string _mode;
    private bool? _higherIsBetter;

    public Monitor(string key, string mode, double minDelta, string owner)
    {
        if (string.IsNullOrWhiteSpace(key)) throw new ArgumentException($"{owner}: monitor must name a logged value, got '{key}'");
        if (!Modes.Contains(mode)) throw new ArgumentException($"{owner}: mode must be one of {string.Join(", ", Modes)}, got '{mode}'");
        if (!(minDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(minDelta), $"{owner}: min_delta must be non-negative, got {minDelta}");
        Key = key;
        _mode = mode;
        MinDelta = minDelta;
        Owner = owner;
    }

    public string Key { get; }
    public double MinDelta { get; }
    public string Owner { get; }
    public double Best { get; set; } = double.NaN;

    public void Reset(Trainer trainer)
    {
        _higherIsBetter = _mode == "auto" ? trainer.HigherIsBetter(Key) : _mode == "max";
        Best = _higherIsBetter.Value ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>Reads the value from the epoch's logs; true (and remembered as best) when it beats the best by more than min_delta.</summary>
    public bool Improved(IReadOnlyDictionary<string, double> logs)
    {
        if (!logs.TryGetValue(Key, out double value))
            throw new InvalidOperationException($"{Owner}: monitor '{Key}' is not logged; logged: {string.Join(", ", logs.Keys)}");
        // NaN never improves, so a diverging run keeps counting towards patience.
        bool better = _higherIsBetter!.Value ? value > Best + MinDelta : value < Best - MinDelta;
        if (better) Best = value;
        return better;
    }
}
