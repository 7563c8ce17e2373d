using Sparta.Data;
using Sparta.Tensors;

namespace Sparta.Training;

/// <summary>
/// Compiles a training step's code on a background thread while the caller does other start-up work (reading
/// and preprocessing the data), so that the first epoch does not wait for the JIT: a throwaway trainer of the
/// same model trains one step on a batch of the same shapes. Every method of a step is compiled optimized at
/// its first call (quick JIT is off for the command-line tool), about 0.13 s of an MLP's first epoch otherwise.
/// The throwaway trainer shares nothing with the caller's (the kernels' scratch buffers and tensor pools are
/// per thread), so the real run's results do not depend on it.
/// </summary>
public static class TrainingWarmup
{
    /// <summary>Starts one step of <paramref name="newTrainer"/>'s trainer on <paramref name="batch"/> (one batch, of the run's batch size).</summary>
    public static Task Start(Func<Trainer> newTrainer, Dataset batch) =>
        Task.Factory.StartNew(() => newTrainer().Fit(batch, 1, batch.Count, shuffle: false, verbose: false),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>A classification batch of <paramref name="count"/> zero images of <paramref name="shape"/> (without the batch), all of class 0.</summary>
    public static Dataset ZeroImages(string input, int count, int[] shape, int classes) =>
        Dataset.Classification([(input, Tensor.Zeros([count, .. shape]))], new int[count], classes);

    /// <summary>The first <paramref name="count"/> samples of <paramref name="data"/> (all of them when it has fewer).</summary>
    public static Dataset FirstBatch(Dataset data, int count) => data.Subset(Enumerable.Range(0, Math.Min(count, data.Count)).ToArray());

    /// <summary>
    /// Waits for a warm-up of a run's own model on its own samples, and lets one that failed go: it only leaves
    /// the compiling to the first epoch, and when the data does not fit the model the run raises that itself.
    /// </summary>
    public static void FinishQuietly(Task warmup)
    {
        try { warmup.Wait(); }
        catch (AggregateException) { }
    }
}
