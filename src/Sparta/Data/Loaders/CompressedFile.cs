using System.IO.Compression;

namespace Sparta.Data.Loaders;

/// <summary>Opens a file for reading, transparently decompressing gzip (recognised by its magic bytes, not its name).</summary>
internal static class CompressedFile
{
    public static Stream OpenRead(string path, out bool compressed)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        compressed = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        return compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
