using System.Globalization;
using Sparta.Data;
using Sparta.Data.Preprocessing;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta bench train mlp|cnn --epochs E --threads T</c>: trains the guide's Fashion-MNIST MLP
/// (784-256-128-10 ReLU) or CNN with Adam(1e-3), batch 128, on the real data standardized with one
/// mean and deviation (as the PyTorch peer does), and prints per epoch
/// <c>mlp threads=T epoch=E train_s=S samples_per_s=R test_acc=A</c>, the peer script's line.
/// </summary>
public static class TrainBenchmark
{
    private const int BatchSize = 128;

    public static int Run(Arguments args, TextWriter output)
    {
        string kind = args.Positional.Count > 1 ? args.Positional[1] : throw new UsageException("bench train: which model? expected 'mlp' or 'cnn'");
        if (kind is not ("mlp" or "cnn")) throw new UsageException($"bench train: model must be 'mlp' or 'cnn', got '{kind}'");
        int epochs = args.Int("epochs", 1, 1, 1000);
        int threads = args.Int("threads", 1, 1, 1024);
        ulong seed = (ulong)args.Int("seed", 0, 0, int.MaxValue);
        args.RejectUnknown("bench train");
        Parallelism.ThreadCount = threads;

        var standardize = new PreprocessingPipeline([new Standardize(StatisticsScope.All)]);
        var sets = standardize.FitApply(DatasetRegistry.InputName,
            DatasetRegistry.Load("fashion-mnist", "train"), DatasetRegistry.Load("fashion-mnist", "test"));
        var (train, test) = (sets[0], sets[1]);
        var model = kind == "mlp" ? Mlp(seed) : Cnn(seed);
        var trainer = model.Compile(new Adam(1e-3), "sparse_categorical_crossentropy", "accuracy");
        var printer = new BenchLine(kind, threads, train.Count, test, output);
        trainer.Fit(train, epochs, BatchSize, seed: seed, verbose: false, callbacks: [printer]);
        return 0;
    }

    private static Model Mlp(ulong seed) => new Sequential([1, 28, 28],
        [new Flatten(), new Dense(256, "relu"), new Dense(128, "relu"), new Dense(10)], "mlp", seed, DatasetRegistry.InputName);

    private static Model Cnn(ulong seed) => new Sequential([1, 28, 28],
    [
        new Conv2D(32, 3, "relu", padding: "same"), new MaxPool2D(2),
        new Conv2D(64, 3, "relu", padding: "same"), new MaxPool2D(2),
        new Flatten(), new Dense(128, "relu"), new Dense(10),
    ], "cnn", seed, DatasetRegistry.InputName);

    /// <summary>Prints the peer's line after each epoch: training time only, test accuracy measured after it.</summary>
    private sealed class BenchLine(string kind, int threads, int samples, Dataset test, TextWriter output) : Callback
    {
        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
        {
            double seconds = logs["epoch_seconds"];
            double accuracy = trainer.Evaluate(test, 1000)["accuracy"];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind} threads={threads} epoch={epoch} train_s={seconds:F2} samples_per_s={samples / seconds:F0} test_acc={accuracy:F4}"));
            output.Flush();
        }
    }
}
