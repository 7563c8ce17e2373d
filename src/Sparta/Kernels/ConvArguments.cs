using System.Runtime.CompilerServices;

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

    /// <summary>
    /// <see cref="Length(string, string, int, long, string)"/> with a layout written as an interpolated string
    /// (its dimensions' values), which is formatted only when the length is wrong: a kernel checks its buffers
    /// at every call of a training step.
    /// </summary>
    public static void Length(string op, string argument, int length, long expected,
        [InterpolatedStringHandlerArgument("length", "expected")] ref LayoutText layout)
    {
        if (length != expected) Length(op, argument, length, expected, layout.ToStringAndClear());
    }
}

/// <summary>The layout text of a length check, formatted only when the check fails.</summary>
[InterpolatedStringHandler]
internal ref struct LayoutText
{
    private DefaultInterpolatedStringHandler _text;

    public LayoutText(int literalLength, int formattedCount, int length, long expected, out bool wrong)
    {
        wrong = length != expected;
        _text = wrong ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public string ToStringAndClear() => _text.ToStringAndClear();
}
