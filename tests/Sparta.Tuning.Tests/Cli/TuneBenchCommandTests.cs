using Sparta.Cli;

namespace Sparta.Tuning.Tests.Cli;

public class TuneBenchCommandTests
{
    private static (int Code, string[] Lines, string Error) Run(params string[] words)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(words, output, error);
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), error.ToString().Trim());
    }

    [Fact]
    public void Samplers_may_be_mappings_whose_commas_do_not_split_the_list()
    {
        var (code, lines, error) = Run("tune-bench", "--objective", "branin", "--samplers", "random, {name: tpe, startup_trials: 3, ei_candidates: 8}", "--seeds", "2", "--trials", "5");
        Assert.True(code == 0, error);
        Assert.Equal(2, lines.Length);
        Assert.Contains(" sampler=random ", lines[0]);
        Assert.Contains(" sampler={name:tpe,startup_trials:3,ei_candidates:8} ", lines[1]);
    }

    [Fact]
    public void A_bad_sampler_parameter_names_the_option_and_the_value()
    {
        var (code, lines, error) = Run("tune-bench", "--objective", "branin", "--samplers", "tpe,{name: tpe, startup_trials: -1}", "--seeds", "1", "--trials", "3");
        Assert.NotEqual(0, code);
        Assert.Empty(lines);
        Assert.Contains("--samplers", error);
        Assert.Contains("startup_trials", error);
        Assert.Contains("-1", error);
    }
}
