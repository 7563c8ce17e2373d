namespace Sparta.Serialization;

/// <summary>Writes a text file through a temporary one beside it, so a reader sees the old file or the new one, never half.</summary>
public static class AtomicText
{
    public static void Write(string path, string text)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Same directory, so the rename does not cross file systems and is atomic.
        string temporary = TemporaryFiles.For(full);
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
