using System.IO.Compression;
using Sparta.Tensors;

namespace Sparta.Data.Loaders;

/// <summary>NumPy's .npz: a zip archive of .npy arrays (stored or deflated), keyed by name without ".npy".</summary>
public static class NpzFile
{
    public static IReadOnlyDictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(path, "zip directory", $"not a readable zip archive ({e.Message})", e);
        }
        using (archive)
        {
            var arrays = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal))
                    throw new DataFileException(path, $"entry '{entry.FullName}'", "expected only .npy entries in an .npz archive");
                using var stream = OpenEntry(entry, path);
                arrays[entry.FullName[..^4]] = NpyFile.Read(stream, $"{path}[{entry.FullName}]");
            }
            return arrays;
        }
    }

    /// <summary>Writes arrays as a deflated .npz (numpy.savez_compressed's layout).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> arrays)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, tensor) in arrays)
        {
            using var stream = archive.CreateEntry(name + ".npy", CompressionLevel.Fastest).Open();
            NpyFile.Write(stream, tensor);
        }
    }

    private static Stream OpenEntry(ZipArchiveEntry entry, string path)
    {
        try
        {
            return entry.Open();
        }
        catch (InvalidDataException e)
        {
            throw new DataFileException(path, $"entry '{entry.FullName}'", $"cannot open ({e.Message})", e);
        }
    }
}
