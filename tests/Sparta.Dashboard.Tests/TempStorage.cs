using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Dashboard.Tests;

/// <summary>A SQLite study storage in a fresh temporary directory, deleted afterwards; the directory also holds runs.</summary>
public sealed class TempStorage : IDisposable
{
    public TempStorage()
    {
        Directory.CreateDirectory(DirectoryPath);
        Storage = StorageUrl.Open(Url);
    }

    public string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), $"sparta-dashboard-{Guid.NewGuid():N}");
    public string Url => $"sqlite:///{Path.Combine(DirectoryPath, "studies.db")}";
    public string RunsDirectory => Path.Combine(DirectoryPath, "runs");
    public IStudyStorage Storage { get; }

    public void Dispose()
    {
        Storage.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DirectoryPath, recursive: true);
    }
}
