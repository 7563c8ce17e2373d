using Sparta.Tensors;

namespace Sparta.Tests.Experiments;

/// <summary>A small valid experiment on files, as text, for tests to vary.</summary>
internal static class ExperimentText
{
    public const string Small = """
        name: small
        seed: 3
        epochs: 2
        batch_size: 16
        data:
          train: {inputs: x_train.npy, targets: y_train.npy}
          test: {inputs: x_test.npy, targets: y_test.npy}
        model:
          layers:
            - {name: dense, units: 8, activation: relu}
            - {name: dense, units: 3}
        loss: sparse_categorical_crossentropy
        metrics: [accuracy]
        optimizer: {name: adam, learning_rate: 0.01}
        """;

    /// <summary>Three separable Gaussian blobs in 4 dimensions as .npy train and test files, and the experiment as exp.yaml, in <paramref name="directory"/>.</summary>
    public static string Write(string directory, string text = Small)
    {
        var random = new RandomGenerator(11);
        foreach (var (split, count) in new[] { ("train", 150), ("test", 60) }) BlobFiles.Write(directory, count, random, "_" + split);
        string path = Path.Combine(directory, "exp.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
