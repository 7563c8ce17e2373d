namespace Sparta.Metrics;

/// <summary>Intersection over union of axis-aligned boxes given as (x1, y1, x2, y2) with x1 ≤ x2, y1 ≤ y2.</summary>
public static class BoxIoU
{
    public static double Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != 4 || b.Length != 4)
            throw new ArgumentException($"box iou: boxes are (x1, y1, x2, y2), got {a.Length} and {b.Length} values");
        double width = Math.Max(0, Math.Min(a[2], b[2]) - (double)Math.Max(a[0], b[0]));
        double height = Math.Max(0, Math.Min(a[3], b[3]) - (double)Math.Max(a[1], b[1]));
        double intersection = width * height;
        double union = Area(a) + Area(b) - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    /// <summary>IoU of every box of <paramref name="a"/> ([N·4]) with every box of <paramref name="b"/> ([M·4]) into [N·M].</summary>
    public static void Pairwise(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<double> result)
    {
        if (a.Length % 4 != 0 || b.Length % 4 != 0)
            throw new ArgumentException($"box iou: box lists hold 4 values per box, got {a.Length} and {b.Length}");
        int n = a.Length / 4, m = b.Length / 4;
        if (result.Length != n * m) throw new ArgumentException($"box iou: result needs {n * m} values, got {result.Length}");
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                result[i * m + j] = Of(a.Slice(i * 4, 4), b.Slice(j * 4, 4));
    }

    private static double Area(ReadOnlySpan<float> box)
    {
        if (box[2] < box[0] || box[3] < box[1])
            throw new ArgumentException($"box iou: box ({box[0]}, {box[1]}, {box[2]}, {box[3]}) has x2 < x1 or y2 < y1");
        return (box[2] - (double)box[0]) * (box[3] - (double)box[1]);
    }
}
