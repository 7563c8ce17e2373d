namespace Sparta.Data.Loaders;

/// <summary>Class labels decoded from a file: whole numbers in [0, classCount).</summary>
internal static class Labels
{
    public static int[] FromValues(ReadOnlySpan<float> values, int classCount, string path, long headerBytes, int bytesPerLabel)
    {
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), $"classCount must be positive, got {classCount}");
        var labels = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!(v >= 0 && v < classCount) || v != MathF.Floor(v))
                throw new DataFileException(path, $"byte {headerBytes + (long)i * bytesPerLabel} (label {i})",
                    $"label {v} is out of range: expected a class in [0, {classCount - 1}]");
            labels[i] = (int)v;
        }
        return labels;
    }
}
