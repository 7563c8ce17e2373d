namespace Sparta.Metrics;

/// <summary>An axis-aligned box with corners (X1, Y1) and (X2, Y2), X1 ≤ X2 and Y1 ≤ Y2.</summary>
public readonly record struct Box
{
    public Box(float x1, float y1, float x2, float y2)
    {
        if (!(x1 <= x2 && y1 <= y2))
            throw new ArgumentException($"box: ({x1}, {y1}, {x2}, {y2}) needs x1 <= x2 and y1 <= y2");
        (X1, Y1, X2, Y2) = (x1, y1, x2, y2);
    }

    public float X1 { get; }
    public float Y1 { get; }
    public float X2 { get; }
    public float Y2 { get; }

    public double Area => (X2 - (double)X1) * (Y2 - (double)Y1);
}

/// <summary>Intersection over union of axis-aligned boxes.</summary>
public static class BoxIoU
{
    public static double Of(Box a, Box b)
    {
        double width = Math.Max(0, Math.Min(a.X2, b.X2) - (double)Math.Max(a.X1, b.X1));
        double height = Math.Max(0, Math.Min(a.Y2, b.Y2) - (double)Math.Max(a.Y1, b.Y1));
        double intersection = width * height;
        double union = a.Area + b.Area - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    /// <summary>Boxes given as (x1, y1, x2, y2) spans.</summary>
    public static double Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != 4 || b.Length != 4)
            throw new ArgumentException($"box iou: boxes are (x1, y1, x2, y2), got {a.Length} and {b.Length} values");
        return Of(new Box(a[0], a[1], a[2], a[3]), new Box(b[0], b[1], b[2], b[3]));
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
}
