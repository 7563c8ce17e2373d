namespace Sparta.Tuning.Distributions;

/// <summary>
/// A real range [low, high], uniform, log-uniform, or on a grid of <c>step</c> (Optuna's
/// FloatDistribution). As in Optuna, a range not divisible by the step has its high end lowered
/// to the last point of the grid.
/// </summary>
public sealed class FloatDistribution : Distribution
{
    public double Low { get; }
    public double High { get; }
    public bool Log { get; }
    public double? Step { get; }

    public FloatDistribution(double low, double high, bool log = false, double? step = null)
    {
        if (double.IsNaN(low) || double.IsNaN(high)) throw new ArgumentException($"float distribution: low and high must be numbers, got low={low}, high={high}");
        if (log && step is not null) throw new ArgumentException($"float distribution: a step is not supported with log=true (step={step})");
        if (low > high) throw new ArgumentException($"float distribution: low must not exceed high (low={low}, high={high})");
        if (log && low <= 0) throw new ArgumentException($"float distribution: a log range must be above zero (low={low}, high={high})");
        if (step is double s && !(s > 0)) throw new ArgumentException($"float distribution: step must be positive, got step={s}");
        Low = low;
        High = step is double st ? AdjustHigh(low, high, st) : high;
        Log = log;
        Step = step;
    }

    /// <summary>Optuna's <c>_adjust_discrete_uniform_high</c>, in decimal arithmetic on the shortest decimal forms as Python does.</summary>
    private static double AdjustHigh(double low, double high, double step)
    {
        decimal dLow = ToDecimal(low), dHigh = ToDecimal(high), dStep = ToDecimal(step);
        decimal range = dHigh - dLow;
        if (range % dStep == 0) return high;
        return (double)(decimal.Floor(range / dStep) * dStep + dLow);
    }

    private static decimal ToDecimal(double value) =>
        decimal.Parse(value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

    public override object? ToExternal(double internalValue) => internalValue;

    public override double ToInternal(object? externalValue)
    {
        double value = externalValue switch
        {
            double d => d,
            float f => f,
            int i => i,
            long l => l,
            decimal m => (double)m,
            _ => throw new ArgumentException($"float distribution: expected a number, got '{externalValue}'"),
        };
        if (double.IsNaN(value)) throw new ArgumentException("float distribution: NaN is not a parameter value");
        if (Log && value <= 0) throw new ArgumentException($"float distribution: {value} is not valid for a log range");
        return value;
    }

    public override bool Contains(double internalValue)
    {
        if (Step is not double step) return Low <= internalValue && internalValue <= High;
        double k = (internalValue - Low) / step;
        return Low <= internalValue && internalValue <= High && Math.Abs(k - Math.Round(k)) < 1e-8;
    }

    public override bool IsSingle => Step is double step
        ? Low == High || ToDecimal(High) - ToDecimal(Low) < ToDecimal(step)
        : Low == High;

    // Attribute order is that of the Python object's __dict__: step, low, high, log.
    public override string ToJson() =>
        $"{{\"name\": \"FloatDistribution\", \"attributes\": {{\"step\": {(Step is double s ? PythonJson.Float(s) : "null")}, " +
        $"\"low\": {PythonJson.Float(Low)}, \"high\": {PythonJson.Float(High)}, \"log\": {(Log ? "true" : "false")}}}}}";

    public override bool Equals(Distribution? other) =>
        other is FloatDistribution f && f.Low.Equals(Low) && f.High.Equals(High) && f.Log == Log && Nullable.Equals(f.Step, Step);

    public override int GetHashCode() => HashCode.Combine(Low, High, Log, Step);

    public override string ToString() => ToJson();
}
