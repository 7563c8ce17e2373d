using Microsoft.Data.Sqlite;
using Npgsql;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Tuning.Tests.Storage;

/// <summary>
/// The tables Sparta creates are the ones Optuna 3.1 creates: compared statement for statement
/// on SQLite, and column, constraint, index and enum for each on PostgreSQL. Sparta only adds
/// its own indexes (ix_sparta_*).
/// </summary>
public sealed class OptunaSchemaTests : IClassFixture<PostgresTestServer>, IDisposable
{
    private readonly PostgresTestServer _server;
    private readonly TemporaryDirectory _directory = new();

    public OptunaSchemaTests(PostgresTestServer server) => _server = server;

    public void Dispose() => _directory.Dispose();

    private const string CreateWithOptuna = "optuna.create_study(storage=sys.argv[1], study_name='s'); print('{}')";

    [OptunaFact]
    public void Sqlite_schema_is_Optunas_statement_for_statement()
    {
        string optunaUrl = _directory.SqliteUrl("optuna.db"), spartaUrl = _directory.SqliteUrl("sparta.db");
        PythonOptuna.Run(CreateWithOptuna, optunaUrl);
        using (var storage = StorageUrl.Open(spartaUrl)) storage.CreateStudy("s", new[] { StudyDirection.Minimize });

        var optuna = SqliteSchema(_directory.File("optuna.db"));
        var sparta = SqliteSchema(_directory.File("sparta.db"));
        Assert.Equal(optuna, sparta.Where(row => !row.Contains("ix_sparta_")).ToList());
        Assert.Equal(3, sparta.Count(row => row.Contains("ix_sparta_")));
    }

    [OptunaPostgresFact]
    public void Postgres_schema_is_Optunas_column_for_column()
    {
        string optunaUrl = _server.CreateDatabase(), spartaUrl = _server.CreateDatabase();
        PythonOptuna.Run(CreateWithOptuna, optunaUrl);
        using (var storage = StorageUrl.Open(spartaUrl)) storage.CreateStudy("s", new[] { StudyDirection.Minimize });

        var optuna = PostgresSchema(optunaUrl);
        var sparta = PostgresSchema(spartaUrl);
        Assert.Equal(optuna, sparta.Where(row => !row.Contains("ix_sparta_")).ToList());
        Assert.Equal(3, sparta.Count(row => row.Contains("ix_sparta_")));
    }

    [Fact]
    public void A_database_of_another_schema_revision_is_refused_naming_the_url()
    {
        string path = _directory.File("old.db");
        using (var storage = StorageUrl.Open("sqlite:///" + path)) { }
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = new SqliteCommand("UPDATE alembic_version SET version_num = 'v2.6.0.a'", connection);
            command.ExecuteNonQuery();
        }
        var error = Assert.Throws<InvalidOperationException>(() => StorageUrl.Open("sqlite:///" + path));
        Assert.Contains("sqlite:///" + path, error.Message);
        Assert.Contains("v2.6.0.a", error.Message);
    }

    [Fact]
    public void A_database_of_an_unknown_revision_is_refused_naming_what_wrote_it()
    {
        string path = _directory.File("newer.db");
        using (var storage = StorageUrl.Open("sqlite:///" + path)) { }
        Execute(path, "UPDATE alembic_version SET version_num = 'v9.0.0.a'", "UPDATE version_info SET library_version = '9.0.0'");
        var error = Assert.Throws<InvalidOperationException>(() => StorageUrl.Open("sqlite:///" + path));
        Assert.Equal($"storage sqlite:///{path}: schema revision 'v9.0.0.a', created by Optuna 9.0.0; Sparta reads Optuna 3.1's 'v3.0.0.d' and the later 'v3.2.0.a', 'v3.4.0.a'", error.Message);
    }

    /// <summary>
    /// Newer Optuna versions migrate a 3.1 database with these statements (their alembic scripts:
    /// v3.2.0.a indexes trials.study_id, v3.4.0.a adds an intermediate value index defaulting to 0);
    /// Sparta goes on reading and writing the study.
    /// </summary>
    [Theory]
    [InlineData("v3.2.0.a", "CREATE INDEX trials_study_id_key ON trials (study_id)")]
    [InlineData("v3.4.0.a", "CREATE INDEX trials_study_id_key ON trials (study_id)",
        "ALTER TABLE trial_intermediate_values ADD COLUMN intermediate_value_index INTEGER DEFAULT '0' NOT NULL",
        "CREATE UNIQUE INDEX uq_trial_intermediate_values ON trial_intermediate_values (trial_id, step, intermediate_value_index)")]
    public void A_database_a_newer_optuna_migrated_is_read_and_written(string revision, params string[] migration)
    {
        string path = _directory.File($"{revision}.db");
        using (var storage = StorageUrl.Open("sqlite:///" + path))
        {
            var study = Study.Create("s", storage: storage, seed: 1);
            study.Optimize(t => { t.Report(1, 0); return t.SuggestFloat("x", 0, 1); }, 2);
        }
        Execute(path, [.. migration, $"UPDATE alembic_version SET version_num = '{revision}'"]);
        using (var storage = StorageUrl.Open("sqlite:///" + path))
        {
            var study = Study.Load("s", storage);
            study.Optimize(t => { t.Report(2, 0); t.Report(3, 1); return t.SuggestFloat("x", 0, 1); }, 2);
            var trials = study.Trials;
            Assert.Equal(4, trials.Count(t => t.State == TrialState.Complete));
            Assert.Equal(new Dictionary<int, double> { [0] = 2, [1] = 3 }, trials[3].IntermediateValues);
        }
    }

    private static void Execute(string path, params string[] statements)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        foreach (string sql in statements)
        {
            using var command = new SqliteCommand(sql, connection);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Every row of sqlite_master plus the version rows, in a stable order.</summary>
    private static List<string> SqliteSchema(string path)
    {
        var rows = new List<string>();
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        foreach (string sql in new[]
                 {
                     "SELECT type || ' ' || name || ' ' || tbl_name || ': ' || COALESCE(sql, '') FROM sqlite_master",
                     "SELECT 'version_info ' || version_info_id || ' ' || schema_version || ' ' || library_version FROM version_info",
                     "SELECT 'alembic ' || version_num FROM alembic_version",
                 })
        {
            using var command = new SqliteCommand(sql, connection);
            using var reader = command.ExecuteReader();
            while (reader.Read()) rows.Add(reader.GetString(0));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static List<string> PostgresSchema(string url)
    {
        var rows = new List<string>();
        var uri = new Uri(url);
        string[] user = uri.UserInfo.Split(':', 2);
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host, Port = uri.Port, Database = uri.AbsolutePath.TrimStart('/'),
            Username = user[0], Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null, Pooling = false,
        }.ConnectionString);
        connection.Open();
        foreach (string sql in new[]
                 {
                     "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || udt_name || ' ' || is_nullable || ' ' || " +
                     "COALESCE(character_maximum_length::text, '-') || ' ' || COALESCE(numeric_precision::text, '-') || ' ' || COALESCE(column_default, '-') " +
                     "FROM information_schema.columns WHERE table_schema = 'public'",
                     "SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
                     "SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'",
                     "SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname",
                     "SELECT 'version_info ' || version_info_id || ' ' || schema_version || ' ' || library_version FROM version_info",
                     "SELECT 'alembic ' || version_num FROM alembic_version",
                 })
        {
            using var command = new NpgsqlCommand(sql, connection);
            using var reader = command.ExecuteReader();
            while (reader.Read()) rows.Add(reader.GetString(0));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
