using System.Runtime.CompilerServices;
using Sparta.Data;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Training;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.Tests.Storage;

namespace Sparta.Tuning.Tests;

/// <summary>
/// Memory that stays flat over many trials in one worker: nothing a trial builds (the trial, its
/// model, its trainer, its data) is still reachable once the trial is over, whatever the study,
/// the sampler and the storage keep.
/// </summary>
public class TrialMemoryTests
{
    private sealed record Left(List<WeakReference> Objects);

    [Fact]
    public void Nothing_a_training_trial_builds_outlives_it()
    {
        using var directory = new TemporaryDirectory();
        using var storage = StorageUrl.Open(directory.SqliteUrl());
        var left = RunTrials(Study.Create(storage: storage), trials: 3);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.Equal(12, left.Objects.Count);
        Assert.All(left.Objects, o => Assert.False(o.IsAlive, $"a {o.Target?.GetType().Name} of a finished trial is still reachable"));
    }

    // Not inlined: no local of the caller may keep a trial's objects alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Left RunTrials(Study study, int trials)
    {
        var left = new Left(new List<WeakReference>());
        study.Optimize(trial =>
        {
            var data = Blobs(64, trial.Seed);
            var model = new Sequential([2], [new Dense(trial.SuggestInt("units", 4, 16), "relu"), new Dense(3)], "mlp", trial.Seed);
            var trainer = model.Compile(new Adam(trial.SuggestFloat("lr", 1e-3, 1e-1, log: true)), "sparse_categorical_crossentropy", "accuracy");
            var history = trainer.Fit(data, epochs: 2, batchSize: 16, validationSplit: 0.25, seed: trial.Seed, verbose: false);
            left.Objects.AddRange(new object[] { trial, model, trainer, data }.Select(o => new WeakReference(o)));
            return history["val_loss"][^1];
        }, trials);
        return left;
    }

    private static Dataset Blobs(int count, ulong seed)
    {
        var random = new RandomGenerator(seed);
        var x = Tensor.Zeros(count, 2);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = random.NextInt(3);
            x.Span[2 * i] = (float)random.Normal(3 * labels[i], 0.5);
            x.Span[2 * i + 1] = (float)random.Normal(-labels[i], 0.5);
        }
        return Dataset.Classification([("input", x)], labels, 3);
    }
}
