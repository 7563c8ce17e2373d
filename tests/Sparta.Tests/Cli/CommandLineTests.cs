using System.CommandLine;
using Sparta.Cli;
using Sparta.Experiments;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Cli;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int Code, string Output, string Error) Sparta(params string[] words) => Lifecycle.LifecycleFiles.Command(words);

    /// <summary>Every command, as the words that name it, found by walking the command tree.</summary>
    public static TheoryData<string> CommandPaths()
    {
        var paths = new TheoryData<string>();
        void Walk(Command command, string path)
        {
            foreach (var sub in command.Subcommands)
            {
                string subPath = (path + " " + sub.Name).Trim();
                paths.Add(subPath);
                Walk(sub, subPath);
            }
        }
        Walk(CommandLine.Build(), "");
        return paths;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void EveryCommandHasHelpWithItsOwnOptionsAndExamples(string path)
    {
        var words = path.Split(' ');
        var command = words.Aggregate((Command)CommandLine.Build(), (c, name) => c.Subcommands.Single(s => s.Name == name));
        Assert.False(string.IsNullOrWhiteSpace(command.Description), path);
        foreach (string help in new[] { "--help", "-h" })
        {
            var (code, output, error) = Sparta([.. words, help]);
            Assert.True(code == 0, error);
            Assert.Contains($"sparta {path}", output);
            foreach (var option in command.Options)
            {
                Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{path} {option.Name}");
                Assert.Contains(option.Name, output);
            }
            if (command is SpartaCommand spartaCommand)
            {
                Assert.NotEmpty(spartaCommand.Examples);
                Assert.All(spartaCommand.Examples, e => Assert.Contains(e, output));
                // An example is a command line this tool parses (up to a redirection).
                Assert.All(spartaCommand.Examples, e => Assert.False(ParseErrors.Any(CommandLine.Build().Parse(
                    e.Split('>')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray())), e));
            }
        }
        Assert.Equal(Sparta([.. words, "--help"]).Output, Sparta(["help", .. words]).Output);
    }

    [Fact]
    public void NoCommandListsTheCommandsAndFails()
    {
        var (code, output, _) = Sparta();
        Assert.Equal(ExitCode.Usage, code);
        foreach (var command in CommandLine.Build().Subcommands) Assert.Contains(command.Name, output);
    }

    [Theory]
    [InlineData(new[] { "trian" }, "sparta: unknown command 'trian'; did you mean 'train'?")]
    [InlineData(new[] { "bench", "gem" }, "sparta bench: unknown command 'gem'; did you mean 'gemm'?")]
    [InlineData(new[] { "bench", "gemm", "--szie", "3" }, "sparta bench gemm: unknown option '--szie'; did you mean '--size'?")]
    [InlineData(new[] { "tune", "--objective=branin", "--trails=3" }, "sparta tune: unknown option '--trails'; did you mean '--trials'?")]
    [InlineData(new[] { "train", "--epoch=3", "exp.yaml" }, "sparta train: unknown option '--epoch'; did you mean '--epochs'?")]
    [InlineData(new[] { "train", "exp.yaml", "--zzzzzzzz" }, "sparta train: unknown option '--zzzzzzzz'; see 'sparta train --help'")]
    [InlineData(new[] { "bench", "gemm", "--size", "abc" }, "sparta bench gemm: option --size: expected an integer in [1, 16384], got 'abc'")]
    [InlineData(new[] { "bench", "gemm", "--size", "1.5" }, "sparta bench gemm: option --size: expected an integer in [1, 16384], got '1.5'")]
    [InlineData(new[] { "lab", "lr-finder", "--start", "fast" }, "sparta lab lr-finder: option --start: expected a number, got 'fast'")]
    [InlineData(new[] { "train" }, "sparta train: expected EXP.yaml (the experiment file); see 'sparta train --help'")]
    [InlineData(new[] { "lab" }, "sparta lab: expected a command: init-stats, optimizers, lr-finder, learning-rate, transfer; see 'sparta lab --help'")]
    [InlineData(new[] { "train", "exp.yaml", "--set", "epochs" }, "sparta train: option --set: expected key.path=value, got 'epochs'")]
    public void AMistakeIsOneLineNamingItWithExitCodeTwo(string[] words, string expected)
    {
        var (code, output, error) = Sparta(words);
        Assert.Equal(ExitCode.Usage, code);
        Assert.Equal(expected, error.TrimEnd());
        Assert.Equal("", output);
    }

    [Fact]
    public void AnOptionMissingItsValueIsNamed()
    {
        var (code, _, error) = Sparta("bench", "gemm", "--size");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("--size", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void VersionIsTheAssemblyVersion()
    {
        var (code, output, _) = Sparta("--version");
        Assert.Equal(0, code);
        string expected = typeof(CommandLine).Assembly.GetName().Version!.ToString(3);
        Assert.NotEqual("0.0.0", expected);
        Assert.StartsWith(expected, output.Trim());
    }

    [Fact]
    public void SetAppliesBeforeTheFileIsChecked()
    {
        string file = ExperimentText.Write(_directory, ExperimentText.Small.Replace("name: adam", "name: adamm"));
        var (code, _, error) = Sparta("doctor", file, "--subset", "4", "--max-epochs", "2");
        Assert.Equal(ExitCode.UserError, code);
        Assert.Contains("adamm", error);
        Assert.Contains("optimizer", error);

        var fixedRun = Sparta("train", file, "--set", "optimizer.name=adam", "--epochs", "1", "--quiet", "--out", Path.Combine(_directory, "run"));
        Assert.True(fixedRun.Code == 0, fixedRun.Error);
        var saved = Experiment.Load(Path.Combine(_directory, "run", "experiment.yaml")).Spec();
        Assert.Equal("adam", saved.Optimizer.Name);
        Assert.Equal(1, saved.Epochs);
    }

    [Fact]
    public void CompletionSuggestsCommandsOptionsAndChoices()
    {
        Assert.Equal(["train"], Sparta("[suggest:2]", "tr").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--variant", Sparta("[suggest:15]", "bench gemm --va").Output.Split('\n'));
        Assert.Equal(["nn", "nt", "tn", "tt"], Sparta("[suggest:21]", "bench gemm --variant ").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var (code, script, _) = Sparta("completion", "bash");
        Assert.Equal(0, code);
        Assert.Contains("complete -o default -F _sparta_complete sparta", script);
    }

    [Fact]
    public void AFaultInsideSpartaIsReportedAsABugWithItsStackTrace()
    {
        Exception Thrown(Action action)
        {
            try { action(); }
            catch (Exception e) { return e; }
            throw new InvalidOperationException("nothing was thrown");
        }
        var bug = Thrown(() => _ = new List<int>()[1]);
        var error = new StringWriter();
        Assert.Equal(ExitCode.InternalError, Failure.Report(bug, "sparta train", error));
        Assert.Contains("bug", error.ToString());
        Assert.Contains(nameof(AFaultInsideSpartaIsReportedAsABugWithItsStackTrace), error.ToString());

        var userMistake = Thrown(() => Experiment.Parse("epochs: [", "bad.yaml"));
        error = new StringWriter();
        Assert.Equal(ExitCode.UserError, Failure.Report(userMistake, "sparta train", error));
        Assert.Equal($"sparta train: {userMistake.Message}", error.ToString().TrimEnd());
        Assert.Contains("bad.yaml", error.ToString());

        error = new StringWriter();
        Assert.Equal(ExitCode.UserError, Failure.Report(new AggregateException(Thrown(() => File.ReadAllText(Path.Combine(_directory, "none")))), "sparta tune", error));
    }
}
