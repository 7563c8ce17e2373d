using Sparta.Data;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Training;

namespace Sparta.Tests.Training;

/// <summary>
/// The warm-up's throwaway step shares nothing with the real run: a run trained while a warm-up of the same model
/// runs beside it on another thread ends with the bits of a run trained alone (weights, the optimizer's moments and
/// step count, and the dropout masks drawn from the run's random stream, which the final weights depend on), on one
/// thread and on two; and a warm-up that fails raises the trainer's own error.
/// </summary>
public class TrainingWarmupTests
{
    private const int Batch = 128;

    private static Trainer NewTrainer() =>
        new Sequential([1, 28, 28], [new Flatten(), new Dense(256, "relu"), new Dropout(0.2), new Dense(128, "relu"), new Dense(10)], seed: 5)
            .Compile(new Adam(1e-3), "sparse_categorical_crossentropy", "accuracy");

    private static Dataset Samples()
    {
        var images = Tensor.Zeros(4 * Batch, 1, 28, 28);
        new RandomGenerator(3).FillNormal(images.Span, 0, 1);
        return Dataset.Classification([("image", images)], Enumerable.Range(0, 4 * Batch).Select(i => i * 7 % 10).ToArray(), 10);
    }

    /// <summary>The weights, then the optimizer's slots in name order, then its step count, after two epochs.</summary>
    private static float[][] Train(Trainer trainer, Dataset data)
    {
        trainer.Fit(data, 2, Batch, seed: 11, verbose: false);
        var state = ((Optimizer)trainer.Optimizer).ExportState();
        Assert.NotEmpty(state.Slots);
        return [.. trainer.Model.Parameters.Select(p => p.Value.ToArray()),
            .. state.Slots.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value), [state.Iterations]];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ARunBesideItsWarmupEndsWithTheBitsOfARunAlone(int threads)
    {
        using var threadCount = Parallelism.Scope(threads);
        var data = Samples();
        var alone = Train(NewTrainer(), data);
        var warmup = TrainingWarmup.Start(NewTrainer, TrainingWarmup.ZeroImages("image", Batch, [1, 28, 28], 10));
        var beside = Train(NewTrainer(), data);
        Assert.True(warmup.Wait(TimeSpan.FromMinutes(5)), "the warm-up did not finish");
        Assert.Equal(alone.Length, beside.Length);
        for (int i = 0; i < alone.Length; i++) Assert.Equal(alone[i], beside[i]);
    }

    [Fact]
    public void TheComparedStateChangesWithTheRunsRandomStream()
    {
        // The comparison above would see a warm-up that drew from the run's stream: another seed's masks end elsewhere.
        var data = Samples();
        var seeded11 = Train(NewTrainer(), data);
        var other = NewTrainer();
        other.Fit(data, 2, Batch, seed: 12, verbose: false);
        Assert.NotEqual(seeded11[0], other.Model.Parameters[0].Value.ToArray());
    }

    [Fact]
    public void AWarmupOfAModelItsBatchDoesNotFitFailsWithTheTrainersError()
    {
        var warmup = TrainingWarmup.Start(NewTrainer, TrainingWarmup.ZeroImages("image", Batch, [1, 14, 14], 10));
        var error = Assert.ThrowsAny<Exception>(() => warmup.GetAwaiter().GetResult());
        Assert.IsNotType<AggregateException>(error);
        Assert.Contains("layer 'flatten'", error.Message);
    }

    [Fact]
    public void FinishingQuietlyLetsAFailedWarmupGoAndWaitsForARunningOne()
    {
        TrainingWarmup.FinishQuietly(Task.FromException(new InvalidOperationException("the batch did not fit")));
        bool ran = false;
        TrainingWarmup.FinishQuietly(Task.Run(() => { Thread.Sleep(50); ran = true; }));
        Assert.True(ran);
    }
}
