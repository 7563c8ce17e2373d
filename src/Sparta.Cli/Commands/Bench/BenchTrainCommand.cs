using System.CommandLine;
using System.Diagnostics;
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
public sealed class BenchTrainCommand : SpartaCommand
{
    private const int BatchSize = 128;

    private readonly Argument<string> _model = OptionFactory.ChoiceArgument("MODEL", "the model to train", "mlp", "cnn");
    private readonly Option<int> _epochs = OptionFactory.Int("--epochs", "epochs to train", 1, 1, 1000);
    private readonly Option<int> _threads = CommonOptions.Threads(1);
    private readonly Option<int?> _seed = CommonOptions.Seed();
    private readonly Option<bool> _noWarmup = OptionFactory.Flag("--no-warmup",
        "compile the training step in the first epoch, not on another thread while the data is read");

    public BenchTrainCommand() : base("train", "Train the guide's Fashion-MNIST MLP or CNN and print the peer script's line per epoch.",
        "sparta bench train mlp --epochs 1 --threads 1",
        "sparta bench train cnn --epochs 1 --threads 2")
    {
        Add(_model);
        Add(_epochs);
        Add(_threads);
        Add(_seed);
        Add(_noWarmup);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string kind = parse.GetValue(_model)!;
        int epochs = parse.GetValue(_epochs), threads = parse.GetValue(_threads);
        ulong seed = (ulong)(parse.GetValue(_seed) ?? 0);
        Parallelism.ThreadCount = threads;

        Func<Trainer> newTrainer = () => (kind == "mlp" ? Mlp(seed) : Cnn(seed)).Compile(new Adam(1e-3), "sparse_categorical_crossentropy", "accuracy");
        // The step's code compiles on another thread while the data is read, as a user's run would do it (TrainingWarmup).
        var warmup = parse.GetValue(_noWarmup) ? Task.CompletedTask
            : TrainingWarmup.Start(newTrainer, TrainingWarmup.ZeroImages(DatasetRegistry.InputName, BatchSize, [1, 28, 28], 10));
        var standardize = new PreprocessingPipeline([new Standardize(StatisticsScope.All)]);
        var sets = standardize.FitApply(DatasetRegistry.InputName,
            DatasetRegistry.Load("fashion-mnist", "train"), DatasetRegistry.Load("fashion-mnist", "test"));
        var (train, test) = (sets[0], sets[1]);
        var trainer = newTrainer();
        var printer = new BenchLine(kind, threads, train.Count, test, output);
        warmup.GetAwaiter().GetResult();
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

    /// <summary>
    /// Prints the peer's line after each epoch: training time only, test accuracy measured after it,
    /// and the process CPU seconds of the epoch (which other processes on a shared machine do not inflate).
    /// </summary>
    private sealed class BenchLine(string kind, int threads, int samples, Dataset test, TextWriter output) : Callback
    {
        private TimeSpan _cpuStart;

        public override void OnEpochBegin(Trainer trainer, int epoch) => _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;

        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
        {
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds;
            double seconds = logs["epoch_seconds"];
            double accuracy = trainer.Evaluate(test, 1000)["accuracy"];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind} threads={threads} epoch={epoch} train_s={seconds:F2} samples_per_s={samples / seconds:F0} test_acc={accuracy:F4} cpu_s={cpu:F2}"));
            output.Flush();
        }
    }
}
