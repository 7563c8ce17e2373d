using Sparta.Autograd;
using System.Diagnostics;
using Sparta.Kernels;
using Sparta.Kernels.Vectors;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

/// <summary>Tests that change <see cref="VectorWidth.Bits"/>: it is process-wide, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class VectorWidthCollection
{
    public const string Name = "vector width";

    /// <summary>The widths this processor runs, widest first.</summary>
    public static int[] Widths => new[] { 512, 256, 128 }.Where(bits => bits <= VectorWidth.Hardware).ToArray();

    /// <summary>Runs <paramref name="body"/> at each width this processor runs, then puts the width back.</summary>
    public static void AtEveryWidth(Action<int> body)
    {
        int before = VectorWidth.Bits;
        try
        {
            foreach (int bits in Widths)
            {
                VectorWidth.Bits = bits;
                body(bits);
            }
        }
        finally
        {
            VectorWidth.Bits = before;
        }
    }
}

/// <summary>
/// The vector width the kernels use: read from SPARTA_VECTOR_WIDTH or set, checked against what the
/// processor runs, and each width taking its own paths (the sums in that width's order, its GEMM
/// kernel, its convolution lanes, its pooling kernel).
/// </summary>
[Collection(VectorWidthCollection.Name)]
public class VectorWidthTests
{
    private static int[] Widths => VectorWidthCollection.Widths;

    [Fact]
    public void TheVariableNamesAWidthOrSaysWhatIsWrongInOneLine()
    {
        Assert.Equal(VectorWidth.Hardware, VectorWidth.FromEnvironment(null, out var problem));
        Assert.Null(problem);
        Assert.Equal(VectorWidth.Hardware, VectorWidth.FromEnvironment(" ", out problem));
        Assert.Null(problem);
        foreach (int bits in Widths)
        {
            Assert.Equal(bits, VectorWidth.FromEnvironment(bits.ToString(), out problem));
            Assert.Null(problem);
        }
        VectorWidth.FromEnvironment("300", out problem);
        Assert.Equal("SPARTA_VECTOR_WIDTH=300: not a vector width; use 512, 256 or 128", problem);
        VectorWidth.FromEnvironment("wide", out problem);
        Assert.Equal("SPARTA_VECTOR_WIDTH=wide: not a vector width; use 512, 256 or 128", problem);
        if (VectorWidth.Hardware < 512)
        {
            VectorWidth.FromEnvironment("512", out problem);
            Assert.Equal($"SPARTA_VECTOR_WIDTH=512: this processor's vectors are at most {VectorWidth.Hardware} bits", problem);
        }
    }

    [Fact]
    public void AWidthThatIsNoneOrWiderThanTheProcessorsIsRefused()
    {
        int before = VectorWidth.Bits;
        Assert.Contains("use 512, 256 or 128", Assert.Throws<ArgumentOutOfRangeException>(() => VectorWidth.Bits = 64).Message);
        Assert.Contains("use 512, 256 or 128", Assert.Throws<ArgumentOutOfRangeException>(() => VectorWidth.Bits = 1024).Message);
        if (VectorWidth.Hardware < 512) Assert.Throws<ArgumentOutOfRangeException>(() => VectorWidth.Bits = 512);
        Assert.Equal(before, VectorWidth.Bits);
    }

    [Fact]
    public void ABadVariableStopsTheLibrarysFirstReadOfTheWidthNotOnlyTheTools()
    {
        // Before, only the command line read the checked width: a library's kernels ran at the processor's width, silently.
        int before = VectorWidth.Bits;
        try
        {
            VectorWidth.ReadVariable("300");
            const string problem = "SPARTA_VECTOR_WIDTH=300: not a vector width; use 512, 256 or 128";
            Assert.Equal(problem, VectorWidth.Problem);
            Assert.Equal(problem, Assert.Throws<ArgumentException>(() => Reduce.Sum(new float[64])).Message);
            var square = Tensor.Full(1f, 8, 8);
            Assert.Equal(problem, Assert.Throws<ArgumentException>(() => square.MatMul(square)).Message);
            Assert.Equal(problem, Assert.Throws<ArgumentException>(() => VectorWidth.Bits).Message);
            // A width set by the program puts the variable aside.
            VectorWidth.Bits = before;
            Assert.Null(VectorWidth.Problem);
            Assert.Equal(64f, Reduce.Sum(Enumerable.Repeat(1f, 64).ToArray()));
        }
        finally
        {
            VectorWidth.Bits = before;
        }
    }

    [Fact]
    public void EachWidthTakesItsOwnPaths()
    {
        var values = new float[1003];
        var random = new Random(5);
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        var pool = ConvWindow.Create(14, 14, 2, 2, 2, 2, ConvPadding.Valid);
        var widePool = ConvWindow.Create(28, 28, 2, 2, 2, 2, ConvPadding.Valid);
        VectorWidthCollection.AtEveryWidth(bits =>
        {
            float expected = bits switch
            {
                512 => Reduce.Sum<Float512>(values),
                256 => Reduce.Sum<Float256>(values),
                _ => Reduce.Sum<Float128>(values),
            };
            Assert.Equal(expected, Reduce.Sum(values));
            Assert.Equal(bits, GemmKernel.Best.Bits);
            Assert.Equal(bits / 32, Conv2DBlocked.Lanes);
            Assert.Equal(bits == 512, Pool2DMaxAvx512.Handles(pool));
            // Below 512 bits: 8 outputs a vector at 256 bits where a row (14 outputs) fills one, 4 for rows of 7.
            Assert.True(Pool2DMax2x2Backward.Handles(widePool));
            Assert.Equal(bits >= 256 ? 8 : 4, Pool2DMax2x2Backward.Lanes(widePool));
            Assert.Equal(4, Pool2DMax2x2Backward.Lanes(pool));
        });
    }

    [Fact]
    public void TheToolReportsABadVariableInOneLineBeforeAnyWork()
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "Sparta.Cli.dll");
        var start = new ProcessStartInfo("dotnet", [tool, "bench", "conv", "--batch", "1", "--repeats", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["SPARTA_VECTOR_WIDTH"] = "300";
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd(), error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.NotEqual(0, process.ExitCode);
        Assert.Equal("", output);
        Assert.Equal("sparta bench conv: SPARTA_VECTOR_WIDTH=300: not a vector width; use 512, 256 or 128", error.TrimEnd());
    }
}
