namespace Sparta.Tuning.Distributions;

/// <summary>
/// An integer range [low, high] on a grid of <c>step</c>, linear or log-uniform (Optuna's
/// IntDistribution). A range not divisible by the step has its high end lowered to the grid.
/// </summary>
public sealed class IntDistribution : Distribution
{
    public long Low { get; }
    public long High { get; }
    public bool Log { get; }
    public long Step { get; }

    public IntDistribution(long low, long high, bool log = false, long step = 1)
    {
        if (log && step != 1) throw new ArgumentException($"int distribution: a log range takes step 1 only (step={step})");
        if (low > high) throw new ArgumentException($"int distribution: low must not exceed high (low={low}, high={high})");
        if (log && low < 1) throw new ArgumentException($"int distribution: a log range must start at 1 or above (low={low}, high={high})");
        if (step <= 0) throw new ArgumentException($"int distribution: step must be positive, got step={step}");
        Low = low;
        High = (high - low) % step == 0 ? high : (high - low) / step * step + low;
        Log = log;
        Step = step;
    }

    public override object? ToExternal(double internalValue) => (long)internalValue;

    public override double ToInternal(object? externalValue)
    {
        double value = externalValue switch
        {
            int i => i,
            long l => l,
            double d => d,
            float f => f,
            _ => throw new ArgumentException($"int distribution: expected an integer, got '{externalValue}'"),
        };
        if (double.IsNaN(value)) throw new ArgumentException("int distribution: NaN is not a parameter value");
        if (Log && value <= 0) throw new ArgumentException($"int distribution: {value} is not valid for a log range");
        return value;
    }

    public override bool Contains(double internalValue) =>
        Low <= internalValue && internalValue <= High && (internalValue - Low) % Step == 0;

    public override bool IsSingle => Log ? Low == High : Low == High || High - Low < Step;

    // Attribute order is that of the Python object's __dict__: log, step, low, high.
    public override string ToJson() =>
        $"{{\"name\": \"IntDistribution\", \"attributes\": {{\"log\": {(Log ? "true" : "false")}, \"step\": {Step}, \"low\": {Low}, \"high\": {High}}}}}";

    public override bool Equals(Distribution? other) =>
        other is IntDistribution d && d.Low == Low && d.High == High && d.Log == Log && d.Step == Step;

    public override int GetHashCode() => HashCode.Combine(Low, High, Log, Step);

    public override string ToString() => ToJson();
}
