using Sparta.Tensors;

namespace Sparta.Data.Splits;

/// <summary>Sample indices of a train/validation/test split, each sorted ascending.</summary>
public sealed record SplitIndices(int[] Train, int[] Validation, int[] Test)
{
    /// <summary>
    /// Random split by fractions. With <paramref name="labels"/>, stratified: each class is split
    /// on its own, so every part keeps the class proportions (to within one sample per class).
    /// </summary>
    public static SplitIndices Create(int count, double validation, double test, RandomGenerator random, int[]? labels = null)
    {
        CheckFractions(validation, test);
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"split: {labels.Length} labels for {count} samples", nameof(labels));
        var train = new List<int>();
        var valid = new List<int>();
        var held = new List<int>();
        foreach (int[] group in Groups(count, labels))
        {
            random.Shuffle(group.AsSpan());
            int nTest = (int)Math.Round(group.Length * test, MidpointRounding.AwayFromZero);
            int nValid = Math.Min((int)Math.Round(group.Length * validation, MidpointRounding.AwayFromZero), group.Length - nTest);
            held.AddRange(group.AsSpan(0, nTest));
            valid.AddRange(group.AsSpan(nTest, nValid));
            train.AddRange(group.AsSpan(nTest + nValid));
        }
        return new SplitIndices(Sorted(train), Sorted(valid), Sorted(held));
    }

    /// <summary>The samples of each class in index order (one group of all samples without labels).</summary>
    internal static IEnumerable<int[]> Groups(int count, int[]? labels)
    {
        if (labels is null) return [Enumerable.Range(0, count).ToArray()];
        return Enumerable.Range(0, count).GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToList();
    }

    private static void CheckFractions(double validation, double test)
    {
        if (!(validation >= 0 && validation < 1)) throw new ArgumentOutOfRangeException(nameof(validation), $"split: validation fraction must be in [0, 1), got {validation}");
        if (!(test >= 0 && test < 1)) throw new ArgumentOutOfRangeException(nameof(test), $"split: test fraction must be in [0, 1), got {test}");
        if (validation + test >= 1) throw new ArgumentException($"split: validation + test must leave training samples, got {validation} + {test}");
    }

    private static int[] Sorted(List<int> indices)
    {
        var array = indices.ToArray();
        Array.Sort(array);
        return array;
    }
}
