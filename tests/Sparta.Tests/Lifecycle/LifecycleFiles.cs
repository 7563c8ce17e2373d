using Sparta.Experiments;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Lifecycle;

/// <summary>Experiments on the blob files, trained into run directories, for the model lifecycle's tests.</summary>
internal static class LifecycleFiles
{
    /// <summary>The small experiment with everything a resumed run must restore: dropout, batch norm, a decaying rate, a validation split.</summary>
    public const string Stateful = """
        name: stateful
        seed: 5
        epochs: 2
        batch_size: 16
        data:
          train: {inputs: x_train.npy, targets: y_train.npy}
          test: {inputs: x_test.npy, targets: y_test.npy}
          validation_split: 0.2
          preprocessing: [standardize]
        model:
          layers:
            - {id: hidden, name: dense, units: 8, activation: relu}
            - {id: norm, name: batch_normalization}
            - {name: dropout, rate: 0.3}
            - {id: features, name: dense, units: 6, activation: relu}
            - {id: out, name: dense, units: 3}
        loss: sparse_categorical_crossentropy
        metrics: [accuracy]
        optimizer: {name: adam, learning_rate: {name: exponential, initial_learning_rate: 0.02, decay_steps: 5, decay_rate: 0.9}}
        """;

    /// <summary>Runs the command line as a user types it: exit code, standard output, standard error.</summary>
    public static (int Code, string Output, string Error) Command(params string[] words)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = global::Sparta.Cli.CommandLine.Run(words, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public static string LastLine(string output) => output.TrimEnd().Split('\n')[^1];

    public static RunResult Train(Experiment experiment, Sparta.Serialization.SavedModel? resume = null) =>
        new ExperimentRunner(experiment.Spec(), experiment.Directory).Run(TextWriter.Null, verbose: false, resume: resume);

    /// <summary>Trains <paramref name="experiment"/> into run directory <paramref name="run"/> and returns the result.</summary>
    public static RunResult TrainInto(string run, Experiment experiment)
    {
        var result = Train(experiment);
        RunDirectory.Write(run, experiment, result);
        return result;
    }

    /// <summary>The transfer experiment the tests vary: a new 3-class head on the frozen layers of the base saved at <paramref name="from"/>.</summary>
    public static string Head(string from = "base/model.sparta", string? cutAfter = null) => $$"""
        name: head
        seed: 7
        epochs: 2
        batch_size: 16
        data:
          train: {inputs: x_train.npy, targets: y_train.npy}
          test: {inputs: x_test.npy, targets: y_test.npy}
        model:
          from: {{from}}{{(cutAfter is null ? "" : $"\n  cut_after: {cutAfter}")}}
          freeze: true
          layers: [{name: dense, units: 3}]
        loss: sparse_categorical_crossentropy
        metrics: [accuracy]
        optimizer: {name: adam, learning_rate: 0.05}
        """;

    public static Experiment Write(string directory, string text = Stateful) => Experiment.Load(ExperimentText.Write(directory, text));
}
