using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Metrics;

/// <summary>
/// Mean absolute scaled error (Hyndman and Koehler 2006): the MAE of the forecasts divided by the
/// MAE of the seasonal naive forecast ŷₜ = yₜ₋ₘ. The common convention scales by the naive MAE on
/// the in-sample (training) series, given with <see cref="SetInSampleSeries"/>; without one, the
/// scale comes from the targets seen, in order — the slides' form
/// Σ|ŷᵢ − yᵢ| / ((n/(n−1)) Σᵢ₌₂ |yᵢ − yᵢ₋₁|) for m = 1. Targets are read as one series in time order.
/// </summary>
public sealed class Mase : Metric
{
    public const string RegisteredName = "mase";
    private readonly Queue<float> _lastTargets = new();
    private double _forecastError, _naiveError;
    private long _count, _naiveCount;
    private double? _inSampleScale;

    public Mase(int seasonality = 1) => Seasonality = Check.AtLeast(seasonality, 1, "seasonality", "metric 'mase'");

    public int Seasonality { get; }

    public override string Name => RegisteredName;
    public override bool HigherIsBetter => false;

    /// <summary>Fixes the scale to the seasonal naive MAE of the training series.</summary>
    public void SetInSampleSeries(ReadOnlySpan<float> series)
    {
        if (series.Length <= Seasonality)
            throw new ArgumentException($"metric 'mase': the in-sample series needs more than seasonality {Seasonality} values, got {series.Length}");
        double sum = 0;
        for (int t = Seasonality; t < series.Length; t++) sum += Math.Abs(series[t] - (double)series[t - Seasonality]);
        _inSampleScale = sum / (series.Length - Seasonality);
    }

    public override void Update(Tensor yTrue, Tensor yPred)
    {
        RequireSameSize(yTrue, yPred);
        _forecastError += ErrorSums.Of(yTrue.Span, yPred.Span).Absolute;
        _count += yTrue.Size;
        foreach (float y in yTrue.Span)
        {
            if (_lastTargets.Count == Seasonality)
            {
                _naiveError += Math.Abs(y - (double)_lastTargets.Dequeue());
                _naiveCount++;
            }
            _lastTargets.Enqueue(y);
        }
    }

    public override double Result()
    {
        if (_count == 0) return 0;
        double scale = _inSampleScale ?? (_naiveCount == 0 ? double.NaN : _naiveError / _naiveCount);
        return _forecastError / _count / scale;
    }

    public override void Reset()
    {
        _lastTargets.Clear();
        _forecastError = _naiveError = 0;
        _count = _naiveCount = 0;
    }

    public override ComponentConfig GetConfig() => Config(("seasonality", Seasonality));

    internal static Mase FromConfig(ConfigReader r) => new(r.Int("seasonality", 1));
}
