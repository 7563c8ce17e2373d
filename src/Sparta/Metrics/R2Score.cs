using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Metrics;

/// <summary>
/// Coefficient of determination R² = 1 − SS_res / SS_tot per output (the last axis of [N, K]
/// targets; a single output otherwise), averaged uniformly over outputs as sklearn's r2_score. An
/// output with constant targets scores 1 when predicted exactly and 0 otherwise (sklearn's
/// force_finite).
/// </summary>
public sealed class R2Score : Metric
{
    public const string RegisteredName = "r2";
    private RunningMoments[] _targets = [];
    private double[] _residuals = [];

    public override string Name => RegisteredName;
    public override bool HigherIsBetter => true;

    public override void Update(Tensor yTrue, Tensor yPred)
    {
        RequireSameSize(yTrue, yPred);
        int outputs = yTrue.Rank == 2 ? yTrue.Shape[1] : 1;
        if (_targets.Length == 0)
        {
            _targets = new RunningMoments[outputs];
            _residuals = new double[outputs];
        }
        if (outputs != _targets.Length)
            throw new ArgumentException($"metric 'r2': y_true {yTrue.Shape} has {outputs} outputs, earlier batches {_targets.Length}");
        var t = yTrue.Span;
        var p = yPred.Span;
        for (int k = 0; k < outputs; k++)
        {
            _targets[k].Add(t, t, k, outputs);
            for (int i = k; i < t.Length; i += outputs) _residuals[k] += (p[i] - (double)t[i]) * (p[i] - (double)t[i]);
        }
    }

    public override double Result()
    {
        if (_targets.Length == 0) return 0;
        double sum = 0;
        for (int k = 0; k < _targets.Length; k++)
        {
            double total = _targets[k].SumSqX;
            sum += total > 0 ? 1 - _residuals[k] / total : _residuals[k] == 0 ? 1 : 0;
        }
        return sum / _targets.Length;
    }

    public override void Reset()
    {
        _targets = [];
        _residuals = [];
    }

    public override ComponentConfig GetConfig() => Config();
}
