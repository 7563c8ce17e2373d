namespace Sparta.Serialization;

/// <summary>Writes a file through a temporary one beside it, so a reader sees the old file or the new one, never half.</summary>
public static class AtomicText
{
    public static void Write(string path, string text) => Replace(path, temporary => File.WriteAllText(temporary, text));

    /// <summary>The same for binary content (an ONNX model).</summary>
    public static void WriteBytes(string path, byte[] bytes) => Replace(path, temporary => File.WriteAllBytes(temporary, bytes));

    /// <summary>Any file: <paramref name="writeTemporary"/> writes the temporary file whose path it is given.</summary>
    public static void Replace(string path, Action<string> writeTemporary)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Same directory, so the rename does not cross file systems and is atomic.
        string temporary = TemporaryFiles.For(full);
        try
        {
            writeTemporary(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
