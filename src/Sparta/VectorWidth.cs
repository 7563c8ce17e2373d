using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Sparta.Kernels.Vectors;

namespace Sparta;

/// <summary>
/// The widest vectors the kernels use: 512, 256 or 128 bits (16, 8 or 4 floats), or 0 where the
/// processor has none (scalar loops). The default is <see cref="Hardware"/>, the widest the processor
/// runs (it pays even on AMD's Zen 4, which splits a 512-bit instruction into two 256-bit halves: see
/// docs/benchmarks.md, "The CNN at 512 bits on Zen 4"); the <see cref="Variable"/> environment variable (<c>SPARTA_VECTOR_WIDTH=256</c>) or
/// <see cref="Bits"/> chooses another up to <see cref="Hardware"/>. The width changes the order in which
/// sums are added, so results differ between widths in a float's last digits; at one width they are
/// the same for any thread count.
/// </summary>
public static class VectorWidth
{
    /// <summary>The environment variable read once, at the first use of the kernels.</summary>
    public const string Variable = "SPARTA_VECTOR_WIDTH";

    /// <summary>The widest vectors this processor runs (as .NET reports them: <c>DOTNET_EnableAVX512=0</c> lowers it).</summary>
    public static int Hardware { get; } =
        Float512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;

    // _problem is declared first and given no initializer: the initializer of _bits sets it.
    private static string? _problem;
    private static int _bits = FromEnvironment(Environment.GetEnvironmentVariable(Variable), out _problem);

    /// <summary>
    /// The width the kernels use. Setting it checks the value (512, 256 or 128, at most
    /// <see cref="Hardware"/>); reading it reports a bad <see cref="Variable"/> value.
    /// </summary>
    public static int Bits
    {
        get => Checked;
        set
        {
            _bits = Check(value, "vector width");
            _problem = null;
        }
    }

    /// <summary>
    /// What is wrong with the <see cref="Variable"/> value, in one line, until a width is set; null when nothing is.
    /// Every read of the width (<see cref="Bits"/>, the kernels' dispatch) throws it, whoever reads it first.
    /// </summary>
    public static string? Problem => _problem;

    /// <summary>Takes the processor's width, setting a bad <see cref="Variable"/> value aside (the doctor reports it and goes on).</summary>
    internal static void UseHardware()
    {
        _bits = Hardware;
        _problem = null;
    }

    /// <summary>
    /// The width, or the variable's problem thrown: a library used without the command line must not silently run at
    /// another width than the one its environment asks for.
    /// </summary>
    private static int Checked
    {
        get
        {
            if (_problem is not null) ThrowProblem();
            return _bits;
        }
    }

    // Apart, so the checked read stays small enough to inline in the kernels' dispatch.
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowProblem() => throw new ArgumentException(_problem);

    /// <summary>Whether the kernels take their 512-bit paths (the hot kernels' dispatch reads this, never the variable).</summary>
    internal static bool Uses512 => Checked >= 512;

    /// <summary>Whether the kernels take their 256-bit paths (AVX2 on x64).</summary>
    internal static bool Uses256 => Checked >= 256;

    /// <summary>Whether the kernels take their 128-bit paths (SSE on x64, NEON on ARM64).</summary>
    internal static bool Uses128 => Checked >= 128;

    /// <summary>Floats per vector at the width in use: 16, 8, 4, or 0 without vectors.</summary>
    internal static int Lanes => Checked / 32;

    /// <summary>Reads <paramref name="text"/> as the <see cref="Variable"/>'s value would be read at start-up (tests of a bad value).</summary>
    internal static void ReadVariable(string? text) => _bits = FromEnvironment(text, out _problem);

    /// <summary>
    /// The width <paramref name="text"/> names (null or empty: <see cref="Hardware"/>); otherwise
    /// <see cref="Hardware"/>, with <paramref name="problem"/> saying what is wrong in one line.
    /// </summary>
    internal static int FromEnvironment(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) return Hardware;
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int bits) || bits is not (512 or 256 or 128))
            problem = $"{Variable}={text}: not a vector width; use 512, 256 or 128";
        else if (bits > Hardware)
            problem = $"{Variable}={text}: this processor's vectors are at most {Hardware} bits";
        return problem is null ? bits : Hardware;
    }

    private static int Check(int bits, string name)
    {
        if (bits is not (512 or 256 or 128)) throw new ArgumentOutOfRangeException(nameof(bits), $"{name} {bits}: use 512, 256 or 128");
        if (bits > Hardware) throw new ArgumentOutOfRangeException(nameof(bits), $"{name} {bits}: this processor's vectors are at most {Hardware} bits");
        return bits;
    }
}
