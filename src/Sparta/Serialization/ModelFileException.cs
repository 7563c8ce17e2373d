namespace Sparta.Serialization;

/// <summary>A model file that cannot be read: one line naming the file and what is wrong with it.</summary>
public sealed class ModelFileException : IOException
{
    public ModelFileException(string path, string problem, Exception? inner = null)
        : base($"model file '{path}': {problem}", inner)
    {
        FilePath = path;
    }

    public string FilePath { get; }
}
