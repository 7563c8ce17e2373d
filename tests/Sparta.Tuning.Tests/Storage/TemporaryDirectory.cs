namespace Sparta.Tuning.Tests.Storage;

/// <summary>A fresh directory under the system's temp directory, deleted with everything in it.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sparta-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A SQLite storage URL for a file in the directory (absolute path, hence four slashes).</summary>
    public string SqliteUrl(string name = "study.db") => "sqlite:///" + File(name);

    public void Dispose()
    {
        // SQLite keeps pooled connections open until the pool is cleared.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
