using Sparta.Serialization;

namespace Sparta.Tests.Serialization;

public sealed class AtomicTextTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-atomic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReplacesTheWholeFileAndLeavesNoTemporary()
    {
        string path = Path.Combine(_directory, "new", "report.html");
        AtomicText.Write(path, new string('a', 10_000));
        AtomicText.Write(path, "short");
        Assert.Equal("short", File.ReadAllText(path));
        Assert.Equal(["report.html"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void AFailedWriteKeepsNothingHalfWritten()
    {
        string taken = Path.Combine(_directory, "taken");
        Directory.CreateDirectory(taken); // a directory where the file should go: the rename fails
        Assert.ThrowsAny<IOException>(() => AtomicText.Write(taken, "text"));
        Assert.Empty(Directory.GetFiles(_directory));
    }
}
