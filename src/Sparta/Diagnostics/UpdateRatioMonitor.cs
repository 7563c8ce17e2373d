using System.Numerics.Tensors;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Diagnostics;

/// <summary>
/// The slides' health check of the learning rate: per parameter, the ratio ||ΔW|| / ||W|| of each
/// update to the weights it changed (about 1e-3 to 1e-2 is healthy; much larger and the rate
/// changes the weights too much, much smaller and nothing is learned), and the gradient's norm
/// (after the optimizer's clipping, which rewrites it in place), both averaged over each epoch's
/// steps. A parameter at zero (a bias before its first update) has no ratio for that step. The
/// weights are copied before every measured step, which costs about one pass over the model per
/// step: <paramref name="every"/> = 10 measures one step in ten (steps 0, 10, 20, ... of the run)
/// for a tenth of that cost.
/// </summary>
public sealed class UpdateRatioMonitor(int every = 1) : Callback
{
    private readonly List<UpdateEpoch> _records = [];
    private float[][] _before = [];
    private double[] _ratioSums = [], _gradientSums = [];
    private int[] _ratioCounts = [];
    private int _measured;
    private long _step;

    /// <summary>Optimizer steps between two measured ones.</summary>
    public int Every { get; } = every >= 1 ? every : throw new ArgumentOutOfRangeException(nameof(every), $"update ratio monitor: every must be positive, got {every}");

    /// <summary>The band the slides call reasonable for ||ΔW|| / ||W|| per step ("~0.01").</summary>
    public const double HealthyLow = 1e-3, HealthyHigh = 1e-2;

    /// <summary>One record per epoch: each parameter's means, and how many steps they average.</summary>
    public IReadOnlyList<UpdateEpoch> Records => _records;

    /// <summary>The slides' reading of one ratio, in plain words.</summary>
    public static string Assess(double ratio) => ratio switch
    {
        double.NaN => "no ratio (the weights were zero)",
        < HealthyLow => $"{ratio:G2} is below {HealthyLow:G1}: the weights barely move; raise the learning rate",
        > HealthyHigh * 10 => $"{ratio:G2} is far above {HealthyHigh:G1}: each step rewrites the weights; lower the learning rate",
        > HealthyHigh => $"{ratio:G2} is above {HealthyHigh:G1}: large steps; consider a lower learning rate",
        _ => $"{ratio:G2} is in the healthy band {HealthyLow:G1} to {HealthyHigh:G1}",
    };

    public override void OnTrainBegin(Trainer trainer)
    {
        var parameters = trainer.Model.Parameters;
        _before = parameters.Select(p => p.Value.ToArray()).ToArray();
        _step = 0;
        _ratioSums = new double[parameters.Count];
        _gradientSums = new double[parameters.Count];
        _ratioCounts = new int[parameters.Count];
    }

    public override void OnEpochBegin(Trainer trainer, int epoch)
    {
        Array.Clear(_ratioSums);
        Array.Clear(_gradientSums);
        Array.Clear(_ratioCounts);
        _measured = 0;
    }

    /// <summary>Runs after the optimizer's step, while the step's gradients are still in place.</summary>
    public override void OnBatchEnd(Trainer trainer, int batch, double loss)
    {
        var parameters = trainer.Model.Parameters;
        bool measured = _step % Every == 0, measureNext = (_step + 1) % Every == 0;
        _step++;
        if (!measured && !measureNext) return;
        for (int i = 0; i < parameters.Count; i++)
        {
            ReadOnlySpan<float> now = parameters[i].Value.Span;
            float[] before = _before[i];
            if (measured)
            {
                double size = TensorPrimitives.Norm<float>(before);
                if (size > 0)
                {
                    _ratioSums[i] += TensorPrimitives.Distance(now, before) / size;
                    _ratioCounts[i]++;
                }
                if (parameters[i].HasGradient) _gradientSums[i] += TensorPrimitives.Norm<float>(parameters[i].Gradient.Span);
            }
            if (measureNext) now.CopyTo(before);
        }
        if (measured) _measured++;
    }

    public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        var parameters = trainer.Model.Parameters;
        var updates = new ParameterUpdate[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
            updates[i] = new ParameterUpdate(parameters[i].Name, _ratioCounts[i] > 0 ? _ratioSums[i] / _ratioCounts[i] : double.NaN, _measured > 0 ? _gradientSums[i] / _measured : double.NaN);
        _records.Add(new UpdateEpoch(epoch, _measured, updates));
    }
}
