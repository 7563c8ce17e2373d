using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Metrics;

/// <summary>
/// Lin's concordance correlation coefficient (1989): ρc = 2·s_xy / (s_x² + s_y² + (x̄ − ȳ)²) with
/// population (1/n) moments — agreement with the identity line, penalizing both scatter and bias.
/// </summary>
public sealed class ConcordanceCorrelation : Metric
{
    public const string RegisteredName = "ccc";
    private RunningMoments _moments;

    public override string Name => RegisteredName;
    public override bool HigherIsBetter => true;

    public override void Update(Tensor yTrue, Tensor yPred)
    {
        RequireSameSize(yTrue, yPred);
        _moments.Add(yTrue.Span, yPred.Span);
    }

    public override double Result()
    {
        long n = _moments.Count;
        if (n == 0) return 0;
        double covariance = _moments.SumXY / n;
        double varianceX = _moments.SumSqX / n, varianceY = _moments.SumSqY / n;
        double bias = _moments.MeanX - _moments.MeanY;
        double denominator = varianceX + varianceY + bias * bias;
        return denominator == 0 ? 1 : 2 * covariance / denominator;
    }

    public override void Reset() => _moments = default;

    public override ComponentConfig GetConfig() => Config();
}
