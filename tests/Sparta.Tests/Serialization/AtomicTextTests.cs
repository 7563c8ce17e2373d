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
    public void AFailedWriteKeepsNothingHalfWritten()
    {
        using var directory = new TempDirectory();
        string taken = directory.File("taken");
        Directory.CreateDirectory(taken); // a directory where the file should go: the rename fails
        Assert.ThrowsAny<IOException>(() => AtomicText.Write(taken, "text"));
        Assert.Empty(Directory.GetFiles(directory.Path));
    }
}
