namespace Sparta.Kernels;

/// <summary>Buffer-length checks shared by the convolution and pooling kernels; each error is one line naming the argument.</summary>
internal static class ConvArguments
{
    public static void Batch(string op, int batch)
    {
        if (batch < 0) throw new ArgumentOutOfRangeException(nameof(batch), $"{op}: batch must be non-negative, got {batch}");
    }

    /// <summary>Requires exactly <paramref name="expected"/> values; <paramref name="layout"/> says how that count is made.</summary>
    public static void Length(string op, string argument, int length, long expected, string layout)
    {
        if (length != expected)
            throw new ArgumentException($"{op}: {argument} must hold {layout}={expected} values, got {length}", argument);
    }
}
