using Sparta.Tensors;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// Maps the training minimum and maximum of each group to [low, high] (usually [0, 1] or [-1, 1]);
/// values beyond the training range map beyond it. A constant group maps to low.
/// </summary>
public sealed class MinMaxScale : GroupAffine
{
    public MinMaxScale(StatisticsScope scope = StatisticsScope.Feature, double low = 0, double high = 1) : base(scope)
    {
        if (!(low < high)) throw new ArgumentException($"min_max: expected low < high, got low={low}, high={high}");
        Low = low;
        High = high;
    }

    public double Low { get; }

    public double High { get; }

    public override string Name => "min_max";

    protected override void FitCore(Tensor train)
    {
        var stats = Statistics(train, withStd: false, withRange: true);
        int groups = stats.Min.Length;
        var scale = new double[groups];
        var bias = new double[groups];
        for (int g = 0; g < groups; g++)
        {
            double range = (double)stats.Max[g] - stats.Min[g];
            scale[g] = range > 0 ? (High - Low) / range : 1;
            bias[g] = Low - stats.Min[g] * scale[g];
        }
        SetAffine(scale, bias);
    }

    protected override IReadOnlyDictionary<string, string> Parameters() => new Dictionary<string, string>
    {
        ["scope"] = StatisticsScopeNames.Name(Scope),
        ["low"] = StepParameters.Format(Low),
        ["high"] = StepParameters.Format(High),
    };
}
