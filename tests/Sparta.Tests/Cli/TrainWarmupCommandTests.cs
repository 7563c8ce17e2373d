using Sparta.Tests.Data;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Cli;

/// <summary>
/// <c>sparta train</c> warms the training step up on a model built for the samples as read (here a CSV file whose
/// text columns are one-hot encoded and whose inputs are then standardized); the run with it and the run with
/// <c>--no-warmup</c> print the same test scores and write the same losses and validation scores epoch by epoch.
/// </summary>
public sealed class TrainWarmupCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ARunWithTheWarmupEndsAsARunWithout()
    {
        Directory.CreateDirectory(_directory.File("data"));
        var examples = Path.Combine(RepositoryRoot.Path, "examples");
        File.Copy(Path.Combine(examples, "data", "penguins.csv"), _directory.File("data/penguins.csv"));
        File.WriteAllText(_directory.File("penguins.yaml"),
            File.ReadAllText(Path.Combine(examples, "penguins-csv.yaml")).Replace("epochs: 60", "epochs: 3", StringComparison.Ordinal));

        var warm = Train("warm");
        var cold = Train("cold", "--no-warmup");
        Assert.Equal(cold.Scores, warm.Scores);
        Assert.Equal(cold.History, warm.History);
    }

    /// <summary>The result line's scores (without its times) and history.csv without its epoch_seconds column.</summary>
    private (string Scores, string[] History) Train(string name, params string[] more)
    {
        string run = _directory.File(name);
        var (code, output, error) = Lifecycle.LifecycleFiles.Command(["train", _directory.File("penguins.yaml"), "--out", run, "--quiet", .. more]);
        Assert.True(code == 0, error);
        string result = output.Split('\n').Single(l => l.StartsWith("result ", StringComparison.Ordinal));
        var lines = File.ReadAllLines(Path.Combine(run, "history.csv"));
        int seconds = Array.IndexOf(lines[0].Split(','), "epoch_seconds");
        Assert.True(seconds >= 0, lines[0]);
        return (result[..result.IndexOf(" train_s=", StringComparison.Ordinal)],
            lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != seconds))).ToArray());
    }
}
