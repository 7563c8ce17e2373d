using Sparta.Experiments;
using Sparta.Reports;
using Sparta.Tests.Data;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Tests.Experiments;

/// <summary>A run directory is readable while the run trains: its history grows epoch by epoch, then the directory takes its name whole.</summary>
public sealed class LiveRunTests : IDisposable
{
    private readonly TempDirectory _runs = new();

    public void Dispose() => _runs.Dispose();

    private static Experiment Penguins(int epochs) =>
        Experiment.Load(Path.Combine(RepositoryRoot.Path, "examples", "penguins-csv.yaml")).With("epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>After each epoch, what a reader of the runs directory finds.</summary>
    private sealed class Reader(string runs, string name) : Callback
    {
        public List<(int Epoch, string[] Directories, History History, string? Experiment)> Seen { get; } = [];

        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
        {
            var directories = Directory.GetDirectories(runs).Select(Path.GetFileName).ToArray();
            var staging = Path.Combine(runs, directories.Single(d => d!.StartsWith($".{name}{RunDirectory.PartialMarker}", StringComparison.Ordinal))!);
            var files = RunFiles.Load(staging);
            Seen.Add((epoch, directories!, files.History, files.ExperimentYaml));
        }
    }

    [Fact]
    public void TheHistoryIsThereAfterEveryEpochAndTheRunTakesItsNameWhenComplete()
    {
        var experiment = Penguins(epochs: 3);
        string path = Path.Combine(_runs.Path, "penguins");
        var reader = new Reader(_runs.Path, "penguins");
        RunResult result;
        using (var live = LiveRun.Begin(path, experiment))
        {
            Assert.Equal(RunDirectory.StagingOf(path), live.Staging);
            Assert.Empty(RunFiles.Load(live.Staging).History.Epochs); // listed from the start, with no epoch yet
            result = new ExperimentRunner(experiment).Run(TextWriter.Null, [live, reader], verbose: false);
            live.Complete(result);
        }

        Assert.Equal([1, 2, 3], reader.Seen.Select(s => s.Epoch));
        foreach (var (epoch, directories, history, yaml) in reader.Seen)
        {
            Assert.DoesNotContain("penguins", directories); // not under its name before it is whole
            Assert.Equal(Enumerable.Range(1, epoch), history.Epochs);
            foreach (string key in history.Keys) Assert.Equal(result.Trainer.History[key].Take(epoch), history[key]);
            Assert.Equal(experiment.MovedTo(path).ToYaml(), yaml);
        }
        Assert.Equal(["penguins"], Directory.GetDirectories(_runs.Path).Select(Path.GetFileName));
        var finished = RunFiles.Load(path);
        Assert.Equal(result.Trainer.History.Epochs, finished.History.Epochs);
        Assert.NotEmpty(finished.Result);
        Assert.True(File.Exists(Path.Combine(path, RunDirectory.ModelFileName)));
    }

    [Fact]
    public void ARunThatFailsLeavesNothingBehind()
    {
        var experiment = Penguins(epochs: 2);
        string path = Path.Combine(_runs.Path, "failed");
        Assert.Throws<InvalidOperationException>(() =>
        {
            using var live = LiveRun.Begin(path, experiment);
            new ExperimentRunner(experiment).Run(TextWriter.Null, [live, new Failing()], verbose: false);
        });
        Assert.Empty(Directory.GetFileSystemEntries(_runs.Path));
    }

    [Fact]
    public void ATakenDirectoryIsRefusedBeforeAnythingIsWritten()
    {
        string path = Path.Combine(_runs.Path, "taken");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "x"), "");
        var e = Assert.Throws<IOException>(() => LiveRun.Begin(path, "name: x\n"));
        Assert.Contains(path, e.Message);
        Assert.Equal(["taken"], Directory.GetFileSystemEntries(_runs.Path).Select(Path.GetFileName));
    }

    private sealed class Failing : Callback
    {
        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs) =>
            throw new InvalidOperationException("stopped by the test");
    }
}
