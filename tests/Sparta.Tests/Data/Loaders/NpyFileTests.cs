using System.IO.Compression;
using System.Text;
using Sparta.Data;
using Sparta.Data.Loaders;
using Sparta.Tensors;

namespace Sparta.Tests.Data.Loaders;

public class NpyFileTests
{
    /// <summary>An .npy file as numpy.save writes it (version 1.0), built here independently of the reader.</summary>
    private static byte[] Npy(string descr, string shape, byte[] data, bool fortran = false)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int total = 10 + dict.Length + 1;
        dict += new string(' ', (64 - total % 64) % 64) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)dict.Length, (byte)(dict.Length >> 8) };
        bytes.AddRange(Encoding.ASCII.GetBytes(dict));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static byte[] Bytes<T>(T[] values) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    public static TheoryData<string, byte[]> Dtypes => new()
    {
        { "<f4", Bytes(new[] { 1.5f, -2f, 3.25f, 0f, 7f, -8.5f }) },
        { "<f8", Bytes(new[] { 1.5, -2, 3.25, 0, 7, -8.5 }) },
        { "|u1", new byte[] { 1, 2, 3, 0, 7, 255 } },
        { "<i4", Bytes(new[] { 1, -2, 3, 0, 7, -8 }) },
        { "<i8", Bytes(new[] { 1L, -2, 3, 0, 7, -8 }) },
    };

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void ReadsEachSupportedDtype(string descr, byte[] data)
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.npy");
        File.WriteAllBytes(path, Npy(descr, "(2, 3)", data));

        var tensor = NpyFile.Read(path);

        Assert.Equal([2, 3], tensor.Shape.ToArray());
        float[] expected = descr switch
        {
            "<f4" => [1.5f, -2f, 3.25f, 0f, 7f, -8.5f],
            "<f8" => [1.5f, -2f, 3.25f, 0f, 7f, -8.5f],
            "|u1" => [1, 2, 3, 0, 7, 255],
            _ => [1, -2, 3, 0, 7, -8],
        };
        Assert.Equal(expected, tensor.ToArray());
    }

    [Fact]
    public void RejectsFortranOrder()
    {
        using var dir = new TempDirectory();
        string path = dir.File("f.npy");
        File.WriteAllBytes(path, Npy("<f4", "(2, 2)", new byte[16], fortran: true));

        var e = Assert.Throws<DataFileException>(() => NpyFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("Fortran", e.Message);
    }

    [Theory]
    [InlineData(">f4")]
    [InlineData("<c8")]
    [InlineData("<U3")]
    public void RejectsUnsupportedDtypes(string descr)
    {
        using var dir = new TempDirectory();
        string path = dir.File("d.npy");
        File.WriteAllBytes(path, Npy(descr, "(2,)", new byte[16]));

        var e = Assert.Throws<DataFileException>(() => NpyFile.Read(path));
        Assert.Contains($"'{descr}'", e.Message);
    }

    [Fact]
    public void TruncatedDataNamesTheOffset()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.npy");
        File.WriteAllBytes(path, Npy("<f4", "(4,)", new byte[10]));

        var e = Assert.Throws<DataFileException>(() => NpyFile.Read(path));
        Assert.Contains($"byte {new FileInfo(path).Length}", e.Message);
        Assert.Contains("6 more bytes", e.Message);
    }

    [Fact]
    public void WrongMagicFails()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.npy");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("PK not numpy at all"));

        Assert.Contains("magic", Assert.Throws<DataFileException>(() => NpyFile.Read(path)).Message);
    }

    [Fact]
    public void WriteThenReadRoundTrips()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.npy");
        var tensor = Tensor.FromArray([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 2, 3, 2);

        NpyFile.Write(path, tensor);
        var read = NpyFile.Read(path);

        Assert.Equal(tensor.Shape, read.Shape);
        Assert.Equal(tensor.ToArray(), read.ToArray());
        Assert.Equal(0, (new FileInfo(path).Length - 12 * 4) % 64);
    }

    [Fact]
    public void NpzReadsEveryEntryStoredOrDeflated()
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("x.npy", CompressionLevel.NoCompression).Open()) s.Write(Npy("<f8", "(3,)", Bytes(new[] { 1.0, 2.0, 3.0 })));
            using (var s = zip.CreateEntry("y.npy", CompressionLevel.Optimal).Open()) s.Write(Npy("<i8", "(3,)", Bytes(new[] { 0L, 1, 0 })));
        }

        var arrays = NpzFile.Read(path);

        Assert.Equal(new[] { "x", "y" }, arrays.Keys.Order());
        Assert.Equal([1f, 2f, 3f], arrays["x"].ToArray());
        Assert.Equal([0f, 1f, 0f], arrays["y"].ToArray());
    }

    [Fact]
    public void NpzRoundTripsAndNamesBadEntries()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.npz");
        NpzFile.Write(path, new Dictionary<string, Tensor> { ["images"] = Tensor.FromArray([1, 2, 3, 4], 1, 2, 2) });
        Assert.Equal([1f, 2f, 3f, 4f], NpzFile.Read(path)["images"].ToArray());

        string bad = dir.File("bad.npz");
        using (var zip = ZipFile.Open(bad, ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("z.npy").Open()) s.Write(Npy("<f4", "(8,)", new byte[4]));
        var e = Assert.Throws<DataFileException>(() => NpzFile.Read(bad));
        Assert.Contains("[z.npy]", e.Message);
    }
}
