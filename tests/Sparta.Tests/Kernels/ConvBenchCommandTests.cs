using Sparta.Cli;

namespace Sparta.Tests.Kernels;

public class ConvBenchCommandTests
{
    [Fact]
    public void BenchConvEndsWithTheFigureLine()
    {
        var output = new StringWriter();
        int exit = CommandLine.Run(["bench", "conv", "--batch", "3", "--threads", "1", "--repeats", "1"], output, TextWriter.Null);
        Assert.Equal(0, exit);
        var lines = output.ToString().TrimEnd().Split('\n');
        Assert.Contains(lines, line => line.TrimStart().StartsWith("conv2 backward", StringComparison.Ordinal));
        Assert.Matches(@"^conv batch=3 threads=1 ms_per_batch=\d+\.\d\d samples_per_s=\d+ cpu_ms_per_batch=\d+\.\d\d$", lines[^1]);
    }

    [Fact]
    public void BenchConvPooledTimesEachConvolutionWithItsPoolingAsOneOp()
    {
        var output = new StringWriter();
        int exit = CommandLine.Run(["bench", "conv", "--batch", "3", "--threads", "1", "--repeats", "1", "--pooled"], output, TextWriter.Null);
        Assert.Equal(0, exit);
        var stages = output.ToString().TrimEnd().Split('\n')[..^1].Select(line => line.Trim().Split(' ')[0]).ToArray();
        Assert.Equal(["conv1+pool1", "conv2+pool2", "conv2+pool2", "conv1+pool1"], stages);
    }

    [Fact]
    public void BenchConvNamesABadBatch()
    {
        var error = new StringWriter();
        int exit = CommandLine.Run(["bench", "conv", "--batch", "0"], TextWriter.Null, error);
        Assert.Equal(2, exit);
        Assert.Equal("sparta bench conv: option --batch: expected an integer in [1, 4096], got '0'", error.ToString().Trim());
    }
}
