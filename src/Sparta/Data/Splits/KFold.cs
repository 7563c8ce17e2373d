using Sparta.Tensors;

namespace Sparta.Data.Splits;

/// <summary>One cross-validation fold: the samples to train on and the ones held out, each sorted.</summary>
public sealed record Fold(int[] Train, int[] Validation);

/// <summary>
/// K-fold cross-validation indices: the samples are shuffled once and dealt into k folds of sizes
/// differing by at most one. Stratified: each class is shuffled and dealt on its own, continuing
/// round-robin where the previous class stopped, so every fold keeps the class proportions.
/// </summary>
public static class KFold
{
    public static IReadOnlyList<Fold> Create(int count, int k, RandomGenerator random) => Deal(count, k, random, null);

    public static IReadOnlyList<Fold> Stratified(int[] labels, int k, RandomGenerator random) => Deal(labels.Length, k, random, labels);

    private static IReadOnlyList<Fold> Deal(int count, int k, RandomGenerator random, int[]? labels)
    {
        if (k < 2 || k > count) throw new ArgumentOutOfRangeException(nameof(k), $"k-fold: k must be in [2, {count}] for {count} samples, got {k}");
        var foldOf = new int[count];
        int next = 0;
        foreach (int[] group in SplitIndices.Groups(count, labels))
        {
            random.Shuffle(group.AsSpan());
            foreach (int index in group) { foldOf[index] = next; next = (next + 1) % k; }
        }
        var folds = new Fold[k];
        for (int f = 0; f < k; f++)
        {
            var validation = new List<int>();
            var train = new List<int>();
            for (int i = 0; i < count; i++) (foldOf[i] == f ? validation : train).Add(i);
            folds[f] = new Fold(train.ToArray(), validation.ToArray());
        }
        return folds;
    }
}
