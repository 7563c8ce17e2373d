using Sparta.Cli;

namespace Sparta.Tests.Kernels;

public class GemmBenchCommandTests
{
    [Fact]
    public void Bench_gemm_ends_with_the_figure_line()
    {
        var output = new StringWriter();
        int exit = CommandLine.Run(["bench", "gemm", "--size", "8", "--threads", "1", "--repeats", "1", "--variant", "tn"], output, TextWriter.Null);
        Assert.Equal(0, exit);
        string last = output.ToString().TrimEnd().Split('\n')[^1];
        Assert.Matches(@"^gemm size=8 threads=1 gflops=\d+\.\d variant=tn$", last);
    }

    [Fact]
    public void Bench_gemm_names_a_bad_variant()
    {
        var error = new StringWriter();
        int exit = CommandLine.Run(["bench", "gemm", "--size", "8", "--variant", "xy"], TextWriter.Null, error);
        Assert.Equal(2, exit);
        Assert.Equal("sparta bench gemm: option --variant: expected nn, tn, nt or tt, got 'xy'", error.ToString().Trim());
    }

    [Fact]
    public void Bench_gemm_refuses_cpu_time_for_several_threads()
    {
        var error = new StringWriter();
        int exit = CommandLine.Run(["bench", "gemm", "--size", "8", "--threads", "2", "--clock", "cpu"], TextWriter.Null, error);
        Assert.Equal(2, exit);
        Assert.Equal("sparta bench gemm: option --clock cpu measures one thread only, got --threads 2", error.ToString().Trim());
    }
}
