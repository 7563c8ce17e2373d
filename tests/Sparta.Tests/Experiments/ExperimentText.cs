using Sparta.Data.Loaders;
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
        foreach (var (split, count) in new[] { ("train", 150), ("test", 60) })
        {
            var x = new float[count * 4];
            var y = new float[count];
            for (int i = 0; i < count; i++)
            {
                int label = i % 3;
                y[i] = label;
                for (int d = 0; d < 4; d++) x[i * 4 + d] = (d == label ? 3f : 0f) + (float)random.Normal();
            }
            NpyFile.Write(Path.Combine(directory, $"x_{split}.npy"), Tensor.FromArray(x, count, 4));
            NpyFile.Write(Path.Combine(directory, $"y_{split}.npy"), Tensor.FromArray(y, count));
        }
        string path = Path.Combine(directory, "exp.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
