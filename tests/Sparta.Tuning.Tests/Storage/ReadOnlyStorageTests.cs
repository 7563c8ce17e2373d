using System.Security.Cryptography;
using Npgsql;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Tuning.Tests.Storage;

/// <summary>
/// A storage opened to read (reports, the dashboard) changes nothing: not the bytes of an
/// Optuna-made SQLite file, not an empty PostgreSQL database. Failures of the database's
/// surroundings are one <see cref="StorageException"/> naming the storage.
/// </summary>
public sealed class ReadOnlyStorageTests : IClassFixture<PostgresTestServer>, IDisposable
{
    private readonly PostgresTestServer _server;
    private readonly TemporaryDirectory _directory = new();

    public ReadOnlyStorageTests(PostgresTestServer server) => _server = server;

    public void Dispose() => _directory.Dispose();

    [OptunaFact]
    public void Reading_an_Optuna_made_sqlite_file_leaves_every_byte_as_it_was()
    {
        string url = _directory.SqliteUrl("optuna.db");
        PythonOptuna.Run("""
            study = optuna.create_study(storage=sys.argv[1], study_name="made-by-optuna", sampler=optuna.samplers.RandomSampler(seed=3))
            study.optimize(lambda t: t.suggest_float("x", -1, 1) ** 2, n_trials=4)
            study.ask()
            print(dump(study))
            """, url);
        string file = _directory.File("optuna.db");
        byte[] before = SHA256.HashData(File.ReadAllBytes(file));

        using (var storage = StorageUrl.OpenReadOnly(url))
        {
            var study = Assert.Single(storage.GetAllStudies());
            Assert.Equal("made-by-optuna", study.Name);
            Assert.Equal(5, storage.GetAllTrials(study.StudyId).Count);
            Assert.Throws<InvalidOperationException>(() => storage.CreateStudy("another", [StudyDirection.Minimize]));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(file)));
        Assert.False(File.Exists(file + "-wal"), "no write-ahead log was started");
    }

    [Fact]
    public void Reading_an_empty_postgresql_database_creates_no_table_and_says_it_holds_no_studies()
    {
        string url = _server.CreateDatabase();
        var e = Assert.Throws<NoStudiesException>(() => StorageUrl.OpenReadOnly(url).Dispose());
        Assert.Contains("holds no studies", e.Message);
        Assert.Contains(StorageUrl.Mask(url), e.Message);

        NpgsqlConnection.ClearAllPools();
        using var connection = PostgresTestServer.Connect(url);
        using var count = new NpgsqlCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        Assert.Equal(0L, (long)count.ExecuteScalar()!);
    }

    [Fact]
    public void Reading_a_postgresql_study_sees_what_was_written_and_the_server_refuses_writes()
    {
        string url = _server.CreateDatabase();
        using (var writer = StorageUrl.Open(url)) writer.CreateStudy("written", [StudyDirection.Maximize]);
        using var reader = StorageUrl.OpenReadOnly(url);
        Assert.Equal("written", Assert.Single(reader.GetAllStudies()).Name);
        Assert.Throws<InvalidOperationException>(() => reader.CreateStudy("refused", [StudyDirection.Minimize]));
    }

    [Fact]
    public void A_missing_sqlite_file_is_not_created_when_read()
    {
        string file = _directory.File("absent.db");
        var e = Assert.Throws<StorageException>(() => StorageUrl.OpenReadOnly("sqlite:///" + file));
        Assert.Contains("absent.db", e.Message);
        Assert.False(File.Exists(file));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_that_is_not_a_database_is_one_storage_error_naming_it(bool readOnly)
    {
        string file = _directory.File("notes.db");
        File.WriteAllText(file, new string('x', 4096));
        string url = "sqlite:///" + file;
        var e = Assert.Throws<StorageException>(() => (readOnly ? StorageUrl.OpenReadOnly(url) : StorageUrl.Open(url)).Dispose());
        Assert.StartsWith($"storage {url}: ", e.Message);
        Assert.Contains("not a database", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
