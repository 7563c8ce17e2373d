using System.Diagnostics;
using Sparta.Data;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Training.Callbacks;

namespace Sparta.Training;

public sealed partial class Trainer
{
    /// <summary>
    /// One L-BFGS epoch: a minimization of the whole training set's loss (PyTorch's
    /// <c>optimizer.step(closure)</c> on the full batch). Each evaluation sums the loss and gradient
    /// of the set's chunks in a fixed order, each weighted by its share of the samples, so the
    /// chunk size changes only the memory used. The epoch's loss and metrics are those of the last
    /// evaluation, at the parameters the minimization ends with; callbacks see it as one batch.
    /// </summary>
    private Dictionary<string, double> TrainFullBatch(Lbfgs lbfgs, BatchLoader chunks, int[] columns, Callback[] hooks, EpochPrinter? printer)
    {
        long start = Stopwatch.GetTimestamp();
        printer?.EpochBegin(1);
        double dataLoss = 0;
        bool regularized = false;
        int count = chunks.Epoch().Sum(b => b.Count);
        double LossAndGradient()
        {
            _objective.Reset();
            dataLoss = 0;
            foreach (var batch in chunks.Epoch())
            {
                var predictions = Model.ForwardOutputs(batch.Inputs, training: true);
                var chunkLoss = _objective.Loss(predictions, batch.Target, columns, batch.Count);
                float share = (float)(batch.Count / (double)count);
                chunkLoss.Backward(Tensor.Full(share, chunkLoss.Shape), retainGraph: false);
                dataLoss += chunkLoss.Item() * share;
            }
            var penalty = Model.RegularizationLoss();
            regularized = penalty is not null;
            if (penalty is null) return dataLoss;
            penalty.Backward();
            return dataLoss + penalty.Item();
        }

        for (int c = 0; c < hooks.Length; c++) hooks[c].OnBatchBegin(this, 0);
        var result = lbfgs.Minimize(_parameters, LossAndGradient);
        for (int c = 0; c < hooks.Length; c++) hooks[c].OnBatchEnd(this, 0, result.Loss);
        printer?.BatchEnd(1, result.Loss);
        var logs = new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = result.Loss };
        if (regularized) logs["data_loss"] = dataLoss;
        _objective.Log(logs, count);
        logs["epoch_seconds"] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return logs;
    }
}
