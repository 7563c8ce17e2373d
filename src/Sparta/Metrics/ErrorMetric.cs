using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Metrics;

/// <summary>
/// Mean squared error, mean absolute error and root mean squared error over every value seen
/// (RMSE is the root of the pooled MSE, not the mean of per-batch roots).
/// </summary>
public sealed class ErrorMetric : Metric
{
    public static readonly string[] Kinds = ["mse", "mae", "rmse"];
    private double _absolute, _squared;
    private long _count;

    public ErrorMetric(string kind)
    {
        if (!Kinds.Contains(kind)) throw new ArgumentException($"error metric: kind must be one of mse, mae, rmse, got '{kind}'");
        Name = kind;
    }

    public override string Name { get; }
    public override bool HigherIsBetter => false;

    public override void Update(Tensor yTrue, Tensor yPred)
    {
        RequireSameSize(yTrue, yPred);
        var (absolute, squared) = ErrorSums.Of(yTrue.Span, yPred.Span);
        _absolute += absolute;
        _squared += squared;
        _count += yTrue.Size;
    }

    public override double Result()
    {
        if (_count == 0) return 0;
        return Name switch
        {
            "mae" => _absolute / _count,
            "mse" => _squared / _count,
            _ => Math.Sqrt(_squared / _count),
        };
    }

    public override void Reset()
    {
        _absolute = _squared = 0;
        _count = 0;
    }

    public override ComponentConfig GetConfig() => Config();
}
