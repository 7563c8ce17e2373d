namespace Sparta.Serialization;

/// <summary>
/// The one way to open a model file, whatever its format: the reader is chosen by the file's
/// extension. A format plugs in with one line, <c>ModelLoader.Register(".ext", reader)</c>, as ".onnx" does in the table below.
/// </summary>
public static class ModelLoader
{
    private static readonly Dictionary<string, Func<string, SavedModel>> Readers = new(StringComparer.OrdinalIgnoreCase)
    {
        [".sparta"] = SavedModel.FromSpartaFile,
        [".zip"] = SavedModel.FromSpartaFile,
        [".onnx"] = Onnx.OnnxImport.LoadSaved,
    };

    private static readonly Lock Gate = new();

    /// <summary>The extensions a reader is registered for (with their dot).</summary>
    public static IReadOnlyList<string> Extensions
    {
        get { lock (Gate) return Readers.Keys.Order(StringComparer.Ordinal).ToArray(); }
    }

    /// <summary>Reads files ending in <paramref name="extension"/> (".onnx") with <paramref name="reader"/>.</summary>
    public static void Register(string extension, Func<string, SavedModel> reader)
    {
        if (string.IsNullOrEmpty(extension) || extension[0] != '.')
            throw new ArgumentException($"model loader: an extension starts with a dot, got '{extension}'", nameof(extension));
        ArgumentNullException.ThrowIfNull(reader);
        lock (Gate) Readers[extension] = reader;
    }

    /// <summary>Reads the model at <paramref name="path"/>; any problem is one <see cref="ModelFileException"/> naming the file.</summary>
    public static SavedModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string extension = System.IO.Path.GetExtension(path);
        Func<string, SavedModel>? reader;
        lock (Gate) Readers.TryGetValue(extension, out reader);
        if (reader is null)
            throw new ModelFileException(path, $"unknown model format '{(extension == "" ? "(no extension)" : extension)}' (known: {string.Join(", ", Extensions)})");
        if (!File.Exists(path)) throw new ModelFileException(path, Directory.Exists(path) ? "is a directory, not a model file" : "does not exist");
        return reader(path);
    }
}
