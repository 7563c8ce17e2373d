using System.IO.Compression;

namespace Sparta.Tests.Data.Loaders;

/// <summary>Builds IDX files byte by byte, independently of the reader.</summary>
internal static class IdxBytes
{
    public static byte[] UInt8(int[] dims, byte[] values)
    {
        var bytes = new List<byte> { 0, 0, 0x08, (byte)dims.Length };
        foreach (int d in dims) bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        bytes.AddRange(values);
        return bytes.ToArray();
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal)) gzip.Write(raw);
        return memory.ToArray();
    }
}
