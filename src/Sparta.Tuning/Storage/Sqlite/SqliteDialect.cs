using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Tuning.Storage.Sqlite;

/// <summary>
/// SQLite, shared safely by several processes on one machine: write-ahead logging so readers
/// never block the writer, a busy timeout so a process waits for the lock instead of failing,
/// and BEGIN IMMEDIATE for every write so a transaction takes the write lock before it reads,
/// never upgrading a read lock midway (the upgrade is what fails with "database is locked").
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    private const int BusyTimeoutMilliseconds = 60_000;
    // SQLAlchemy's storage format for DateTime on SQLite, which Optuna parses back.
    private const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss.ffffff";
    private static readonly string[] DateTimeFormats = { DateTimeFormat, "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss" };

    private readonly string _connectionString;

    public SqliteDialect(string path, string url, bool readOnly = false)
    {
        MaskedUrl = url;
        ReadOnly = readOnly;
        if (readOnly && !File.Exists(path)) throw new StorageException($"storage {url}: no such database file '{path}'");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        if (readOnly) return;
        using var connection = Open();
        using var command = connection.CreateCommand();
        // The journal mode is a property of the file: set once, every process then uses it.
        command.CommandText = "PRAGMA journal_mode=WAL";
        SqlSession.Translate(this, command.ExecuteNonQuery);
    }

    public override bool ReadOnly { get; }

    public override string MaskedUrl { get; }
    public override string SerialPrimaryKeyType => "INTEGER NOT NULL";
    public override string KeyColumn => "\"key\"";
    public override string DoubleType => "FLOAT";
    public override string DateTimeType => "DATETIME";
    // SQLAlchemy stores an Enum as VARCHAR as long as its longest label, without a CHECK constraint.
    public override string EnumColumnType(string name, string[] labels) => $"VARCHAR({labels.Max(l => l.Length)})";
    public override string? CreateEnumType(string name, string[] labels) => null;

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // Per connection: wait for a lock held by another process; in WAL mode NORMAL
            // synchronization loses no committed transaction when a process is killed.
            command.CommandText = $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA synchronous=NORMAL";
            command.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StorageException($"storage {MaskedUrl}: cannot open the database ({e.Message})", e);
        }
    }

    public override DbTransaction BeginWrite(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false);

    public override bool TableExists(DbConnection connection, DbTransaction? transaction, string table)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @name";
        command.Parameters.Add(new SqliteParameter("@name", table));
        return Convert.ToInt64(command.ExecuteScalar()) > 0;
    }

    public override string Enum(string expression, string enumName) => expression;
    public override string EnumText(string column) => column;
    public override string ForUpdate => "";
    public override string ForUpdateSkipLocked => "";
    public override string Now => "strftime('%Y-%m-%d %H:%M:%f000', 'now')";
    public override string SecondsAgo(string secondsParameter) => $"strftime('%Y-%m-%d %H:%M:%f000', 'now', '-' || {secondsParameter} || ' seconds')";

    public override object DateTimeValue(DateTime value) => value.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public override DateTime ReadDateTime(DbDataReader reader, int ordinal) =>
        DateTime.ParseExact(reader.GetString(ordinal), DateTimeFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19 }; // SQLITE_CONSTRAINT

    // SQLITE_PERM, BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, AUTH, NOTADB.
    private static readonly HashSet<int> EnvironmentCodes = [3, 5, 6, 8, 10, 11, 13, 14, 23, 26];

    public override bool IsEnvironmentFailure(DbException exception) =>
        exception is SqliteException e && EnvironmentCodes.Contains(e.SqliteErrorCode);
}
