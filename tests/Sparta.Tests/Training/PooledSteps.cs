using Sparta.Models;
using Sparta.Losses;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Tests.Training;

/// <summary>Adam steps on a sparse cross-entropy, run as the trainer runs them with its tensor pool: the tests that compare whole runs share them.</summary>
internal static class PooledSteps
{
    /// <summary>Trains <paramref name="model"/> for <paramref name="steps"/> steps on one batch; returns its weights.</summary>
    public static float[][] Train(Model model, Tensor images, Tensor labels, int steps)
    {
        var optimizer = new Adam(0.01);
        var loss = new SparseCategoricalCrossEntropy();
        var pool = new TensorPool();
        using var _ = pool.Use();
        for (int step = 0; step < steps; step++)
        {
            pool.NextStep();
            optimizer.ZeroGrad();
            loss.Compute(model.Forward(images, training: true), labels).Backward(retainGraph: false);
            optimizer.Step(model.Parameters);
        }
        return model.Parameters.Select(p => p.Value.ToArray()).ToArray();
    }
}
