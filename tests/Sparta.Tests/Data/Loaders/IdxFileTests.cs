using Sparta.Data;
using Sparta.Data.Loaders;

namespace Sparta.Tests.Data.Loaders;

public class IdxFileTests
{
    private static readonly byte[] Pixels = Enumerable.Range(0, 3 * 2 * 2).Select(i => (byte)(i * 20 + 3)).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesPlainAndGzipped(bool gzip)
    {
        using var dir = new TempDirectory();
        byte[] raw = IdxBytes.UInt8([3, 2, 2], Pixels);
        string path = dir.File("images.idx");
        File.WriteAllBytes(path, gzip ? IdxBytes.Gzip(raw) : raw);

        var tensor = IdxFile.ReadTensor(path);

        Assert.Equal([3, 2, 2], tensor.Shape.ToArray());
        Assert.Equal(Pixels.Select(p => (float)p).ToArray(), tensor.ToArray());
    }

    [Fact]
    public void ReadsBigEndianFloats()
    {
        using var dir = new TempDirectory();
        float[] values = [1.5f, -2.25f, 1e6f];
        var bytes = new List<byte> { 0, 0, 0x0D, 1, 0, 0, 0, 3 };
        foreach (float v in values) bytes.AddRange(BitConverter.GetBytes(v).Reverse());
        string path = dir.File("floats.idx");
        File.WriteAllBytes(path, bytes.ToArray());

        Assert.Equal(values, IdxFile.ReadTensor(path).ToArray());
    }

    [Fact]
    public void StreamsChunksThatMatchTheWholeFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("images.idx.gz");
        File.WriteAllBytes(path, IdxBytes.Gzip(IdxBytes.UInt8([3, 2, 2], Pixels)));

        using var file = IdxFile.Open(path);
        var streamed = file.ReadChunks(2).SelectMany(chunk => chunk.ToArray()).ToArray();

        Assert.Equal(IdxFile.ReadTensor(path).ToArray(), streamed);
    }

    [Fact]
    public void WrongMagicNamesFileAndOffset()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.idx");
        File.WriteAllBytes(path, [0x12, 0x34, 0x08, 0x01, 0, 0, 0, 0]);

        var e = Assert.Throws<DataFileException>(() => IdxFile.ReadTensor(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("byte 0", e.Message);
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void TruncatedFileNamesWhereItEnds()
    {
        using var dir = new TempDirectory();
        string path = dir.File("short.idx");
        File.WriteAllBytes(path, IdxBytes.UInt8([3, 2, 2], Pixels)[..(16 + 5)]);

        var e = Assert.Throws<DataFileException>(() => IdxFile.ReadTensor(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("byte 21", e.Message);
        Assert.Contains("7 more bytes", e.Message);
    }

    [Fact]
    public void TruncatedGzipFails()
    {
        using var dir = new TempDirectory();
        string path = dir.File("short.idx.gz");
        var pixels = Enumerable.Range(0, 4000).Select(i => (byte)(i * 7919 % 251)).ToArray();
        byte[] gz = IdxBytes.Gzip(IdxBytes.UInt8([1000, 4], pixels));
        File.WriteAllBytes(path, gz[..(gz.Length / 2)]);

        var e = Assert.Throws<DataFileException>(() => IdxFile.ReadTensor(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void CorruptGzipFails()
    {
        using var dir = new TempDirectory();
        string path = dir.File("corrupt.idx.gz");
        byte[] gz = IdxBytes.Gzip(IdxBytes.UInt8([3, 2, 2], Pixels));
        for (int i = 10; i < gz.Length - 8; i++) gz[i] ^= 0x5A;
        File.WriteAllBytes(path, gz);

        Assert.Throws<DataFileException>(() => IdxFile.ReadTensor(path));
    }

    [Fact]
    public void ExtraBytesAfterTheDataFail()
    {
        using var dir = new TempDirectory();
        string path = dir.File("long.idx");
        File.WriteAllBytes(path, [.. IdxBytes.UInt8([3, 2, 2], Pixels), 9, 9]);

        var e = Assert.Throws<DataFileException>(() => IdxFile.ReadTensor(path));
        Assert.Contains("byte 28", e.Message);
    }

    [Fact]
    public void LabelOutOfRangeNamesItsOffset()
    {
        using var dir = new TempDirectory();
        string path = dir.File("labels.idx");
        File.WriteAllBytes(path, IdxBytes.UInt8([4], [0, 9, 10, 1]));

        var e = Assert.Throws<DataFileException>(() => IdxFile.ReadLabels(path, classCount: 10));
        Assert.Contains(path, e.Message);
        Assert.Contains("byte 10 (label 2)", e.Message);
        Assert.Contains("[0, 9]", e.Message);
        Assert.Equal([0, 9, 10, 1], IdxFile.ReadLabels(path, classCount: 11));
    }

    [Fact]
    public void MissingFileIsReported()
    {
        var e = Assert.Throws<FileNotFoundException>(() => IdxFile.ReadTensor("/nonexistent/x.idx"));
        Assert.Contains("/nonexistent/x.idx", e.Message);
    }
}
