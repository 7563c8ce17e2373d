using System.Globalization;
using System.Text.RegularExpressions;
using Sparta.Cli;
using Sparta.Experiments;

namespace Sparta.Tests.Experiments;

/// <summary><c>sparta lab learning-rate</c>: the rates it runs by default are the ones its help names, and its verdicts.</summary>
public class LearningRateLabTests
{
    private static (int Code, string Output) Sparta(params string[] words)
    {
        var (code, output, error) = Lifecycle.LifecycleFiles.Command(words);
        return (code, output + error);
    }

    [Fact]
    public void TheRatesRunByDefaultAreTheOnesTheHelpNamesAndTheTooSmallOneIsCalledSo()
    {
        string example = Path.Combine(RepositoryRoot.Path, "examples", "fashion-mnist-mlp.yaml");
        var (code, help) = Sparta("lab", "learning-rate", "--help");
        Assert.Equal(0, code);
        // "(default: r/1000, r*1000 and r, r the file's rate)": evaluated here for the file's rate.
        var defaults = Regex.Match(help, @"default: ((?:r[*/][0-9.e+-]+|r)(?:, (?:r[*/][0-9.e+-]+|r))* and (?:r[*/][0-9.e+-]+|r)), r the file's rate");
        Assert.True(defaults.Success, help);
        double rate = ExperimentRunner.CreateOptimizer(Experiment.Load(example).Spec().Optimizer).CurrentLearningRate;
        var named = defaults.Groups[1].Value.Replace(" and ", ", ").Split(", ").Select(term => term == "r" ? rate
            : term[1] == '*' ? rate * double.Parse(term[2..], CultureInfo.InvariantCulture) : rate / double.Parse(term[2..], CultureInfo.InvariantCulture)).ToArray();

        var (runCode, output) = Sparta("lab", "learning-rate", example, "--epochs", "2", "--set", "data.train_samples=2000",
            "--set", "data.validation_split=0.2", "--threads", "2");
        Assert.True(runCode == 0, output);
        var run = Regex.Matches(output, @"^== learning rate (\S+) ==$", RegexOptions.Multiline)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(named.Length, run.Length);
        for (int i = 0; i < run.Length; i++) Assert.Equal(named[i], run[i], named[i] * 1e-6);

        // r/1000 = 1e-6 with Adam on the MLP hardly moves the loss next to 1e-3: too small, not "learns".
        var rows = output[output.LastIndexOf("verdict", StringComparison.Ordinal)..].Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        var tooSmall = rows.Single(l => l.StartsWith("1e-06 ", StringComparison.Ordinal));
        Assert.Contains("too small", tooSmall);
        var aboutRight = rows.Single(l => l.StartsWith("0.001 ", StringComparison.Ordinal));
        Assert.Contains("learns", aboutRight);
    }
}
