using Sparta.Serialization;
using Sparta.Tests.Data;

namespace Sparta.Tests.Serialization;

public sealed class AtomicTextTests
{
    [Fact]
    public void ReplacesTheWholeFileAndLeavesNoTemporary()
    {
        using var directory = new TempDirectory();
        string path = directory.File(Path.Combine("new", "report.html"));
        AtomicText.Write(path, new string('a', 10_000));
        AtomicText.Write(path, "short");
        Assert.Equal("short", File.ReadAllText(path));
        Assert.Equal(["report.html"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void ThreadsOfOneProcessWritingOneFileAtOnceAllSucceedAndOneWholeTextWins()
    {
        using var directory = new TempDirectory();
        string path = directory.File("study-report.html");
        var texts = Enumerable.Range(0, 4).Select(i => new string((char)('a' + i), 200_000)).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var writers = texts.Select(text => new Thread(() =>
        {
            try { for (int round = 0; round < 100; round++) AtomicText.Write(path, text); }
            catch (Exception e) { failures.Enqueue(e); }
        })).ToList();
        writers.ForEach(w => w.Start());
        writers.ForEach(w => w.Join());
        Assert.Empty(failures);
        Assert.Contains(File.ReadAllText(path), texts);
        Assert.Equal(["study-report.html"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void TheTemporariesOfKilledWritersAreRemovedByTheNextWriteAndALiveWritersAreKept()
    {
        using var directory = new TempDirectory();
        string path = directory.File("report.html");
        string dead = $"{path}.{DeadProcessId()}.tmp";
        using var sleeper = System.Diagnostics.Process.Start("sleep", "30");
        string running = $"{path}.{sleeper.Id}-3.tmp", other = directory.File("other.html.1.tmp");
        foreach (string leftover in new[] { dead, running, other }) File.WriteAllText(leftover, "half");
        AtomicText.Write(path, "whole");
        sleeper.Kill();
        Assert.Equal(new[] { "other.html.1.tmp", "report.html", Path.GetFileName(running) }.Order(),
            Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void AModelSaveRemovesTheTemporaryAKilledSaveLeft()
    {
        using var directory = new TempDirectory();
        string path = directory.File("checkpoint.sparta"), dead = $"{path}.{DeadProcessId()}.tmp";
        File.WriteAllText(dead, "half a zip");
        ModelFile.Save(path, new Sparta.Models.Sequential([2], [new Sparta.Layers.Dense(1)], "tiny", 1));
        Assert.Equal(["checkpoint.sparta"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    /// <summary>The id of a process that has exited: a killed writer's.</summary>
    private static int DeadProcessId()
    {
        using var process = System.Diagnostics.Process.Start("true");
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void AFailedWriteKeepsNothingHalfWritten()
    {
        using var directory = new TempDirectory();
        string taken = directory.File("taken");
        Directory.CreateDirectory(taken); // a directory where the file should go: the rename fails
        Assert.ThrowsAny<IOException>(() => AtomicText.Write(taken, "text"));
        Assert.Empty(Directory.GetFiles(directory.Path));
    }
}
