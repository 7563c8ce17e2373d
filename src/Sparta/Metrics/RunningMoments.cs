namespace Sparta.Metrics;

/// <summary>
/// Count, means, and centred sums of squares and cross-products of paired values, merged batch by
/// batch with Chan et al.'s pairwise update, which stays accurate where Σx² − (Σx)²/n cancels.
/// </summary>
internal struct RunningMoments
{
    public long Count;
    public double MeanX, MeanY, SumSqX, SumSqY, SumXY;

    /// <summary>Adds the pairs (x[i·stride + offset], y[…]) of one batch.</summary>
    public void Add(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int offset = 0, int stride = 1)
    {
        int n = (x.Length - offset + stride - 1) / stride;
        if (n <= 0) return;
        double meanX = 0, meanY = 0;
        for (int i = offset; i < x.Length; i += stride)
        {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= n;
        meanY /= n;
        double sxx = 0, syy = 0, sxy = 0;
        for (int i = offset; i < x.Length; i += stride)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        long total = Count + n;
        double deltaX = meanX - MeanX, deltaY = meanY - MeanY;
        double weight = (double)Count * n / total;
        SumSqX += sxx + deltaX * deltaX * weight;
        SumSqY += syy + deltaY * deltaY * weight;
        SumXY += sxy + deltaX * deltaY * weight;
        MeanX += deltaX * n / total;
        MeanY += deltaY * n / total;
        Count = total;
    }
}
