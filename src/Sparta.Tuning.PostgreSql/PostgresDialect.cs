using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using Npgsql;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Tuning.Storage.Postgres;

/// <summary>
/// PostgreSQL, for workers on many machines. Writes run at READ COMMITTED and lock the rows they
/// read (FOR UPDATE); workers claim queued trials with FOR UPDATE SKIP LOCKED so they never wait
/// on each other's claims. Times are UTC, taken from the server's clock.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    // Any constant: the advisory lock only serializes schema creation among Sparta processes.
    private const long SchemaLockKey = 0x5350_4152_5441; // "SPARTA"

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(string connectionString, string maskedUrl, bool readOnly = false)
    {
        MaskedUrl = maskedUrl;
        ReadOnly = readOnly;
        // Read-only is enforced by the server too: every transaction of the session refuses to write.
        if (readOnly) connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c default_transaction_read_only=on" }.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public override bool ReadOnly { get; }

    public override string MaskedUrl { get; }
    public override string SerialPrimaryKeyType => "SERIAL NOT NULL";
    public override string KeyColumn => "key";
    public override string DoubleType => "FLOAT(53)";
    public override string DateTimeType => "TIMESTAMP WITHOUT TIME ZONE";
    public override string EnumColumnType(string name, string[] labels) => name;
    public override string? CreateEnumType(string name, string[] labels) =>
        $"CREATE TYPE {name} AS ENUM ({string.Join(", ", labels.Select(l => $"'{l}'"))})";

    public override DbConnection Open()
    {
        try
        {
            return _dataSource.OpenConnection();
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            throw new StorageException($"storage {MaskedUrl}: cannot connect ({FirstLine(e.Message)})", e);
        }
    }

    public override DbTransaction BeginWrite(DbConnection connection) =>
        ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.ReadCommitted);

    public override DbTransaction BeginSchemaTransaction(DbConnection connection)
    {
        var transaction = BeginWrite(connection);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({SchemaLockKey})";
        command.ExecuteNonQuery();
        return transaction;
    }

    public override bool TableExists(DbConnection connection, DbTransaction? transaction, string table)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @name";
        command.Parameters.Add(new NpgsqlParameter("@name", table));
        return Convert.ToInt64(command.ExecuteScalar()) > 0;
    }

    public override string Enum(string expression, string enumName) => $"CAST({expression} AS {enumName})";
    public override string EnumText(string column) => $"CAST({column} AS TEXT)";
    public override string ForUpdate => " FOR UPDATE";
    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";
    public override string Now => "(now() AT TIME ZONE 'UTC')";
    public override string SecondsAgo(string secondsParameter) => $"((now() AT TIME ZONE 'UTC') - make_interval(secs => {secondsParameter}))";

    // A timestamp without time zone: Npgsql writes an Unspecified DateTime to it as is.
    public override object DateTimeValue(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Unspecified);

    public override DateTime ReadDateTime(DbDataReader reader, int ordinal) => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);

    public override bool IsUniqueViolation(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    // Connection (08), authorization (28), missing database (3D), resources such as a full disk (53),
    // operator intervention (57), system errors (58), a read-only transaction, a missing privilege.
    public override bool IsEnvironmentFailure(DbException exception) => exception switch
    {
        PostgresException e => e.SqlState[..2] is "08" or "28" or "3D" or "53" or "57" or "58"
                               || e.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.InsufficientPrivilege,
        NpgsqlException => true, // the connection itself failed
        _ => false,
    };

    public override void Dispose() => _dataSource.Dispose();

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
