using Sparta.Terminal;

namespace Sparta.Data;

/// <summary>
/// A data file that cannot be read as what it claims to be: one line naming the file, where in it
/// (byte offset, row or entry) and what was expected there.
/// </summary>
public sealed class DataFileException : IOException
{
    public DataFileException(string path, string location, string problem, Exception? inner = null)
        : base($"{path}: {location}: {PrintableText.Of(problem)}", inner)
    {
        FilePath = path;
        Location = location;
    }

    public string FilePath { get; }

    public string Location { get; }
}
