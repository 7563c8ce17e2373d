using Sparta.Data.Loaders;
using Sparta.Tensors;

namespace Sparta.Tests.Experiments;

/// <summary>The data experiment-file tests train on: three Gaussian blobs in 4 dimensions, as .npy files.</summary>
internal static class BlobFiles
{
    /// <summary>
    /// Writes x{suffix}.npy (count × 4) and y{suffix}.npy: example i has label i mod 3 and feature
    /// number label shifted by 3, plus unit noise. With <paramref name="randomLabels"/> the labels are
    /// drawn at random instead, so there is nothing to learn (only to memorize).
    /// </summary>
    public static void Write(string directory, int count, RandomGenerator random, string suffix = "", bool randomLabels = false)
    {
        var x = new float[count * 4];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 3;
            y[i] = randomLabels ? random.NextInt(3) : label;
            for (int d = 0; d < 4; d++) x[i * 4 + d] = (d == label ? 3f : 0f) + (float)random.Normal();
        }
        NpyFile.Write(Path.Combine(directory, $"x{suffix}.npy"), Tensor.FromArray(x, count, 4));
        NpyFile.Write(Path.Combine(directory, $"y{suffix}.npy"), Tensor.FromArray(y, count));
    }
}
