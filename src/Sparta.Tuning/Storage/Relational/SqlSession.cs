using System.Data.Common;

namespace Sparta.Tuning.Storage.Relational;

/// <summary>
/// One pooled connection, and for writes one transaction, for the duration of one storage call.
/// Disposing without <see cref="Commit"/> rolls the transaction back. A failure of the database's
/// surroundings (<see cref="SqlDialect.IsEnvironmentFailure"/>) becomes a <see cref="StorageException"/>
/// naming the storage; any other database error is left as it is, a bug.
/// </summary>
internal sealed class SqlSession : IDisposable
{
    private readonly SqlDialect _dialect;
    private readonly DbConnection _connection;
    private readonly DbTransaction? _transaction;
    // Commands whose readers are still in use: disposing a command closes its reader.
    private readonly List<DbCommand> _readerCommands = new();

    private SqlSession(SqlDialect dialect, DbConnection connection, DbTransaction? transaction)
    {
        _dialect = dialect;
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>A session that only reads: each statement sees the committed state when it runs.</summary>
    public static SqlSession Read(SqlDialect dialect) => new(dialect, dialect.Open(), null);

    public static SqlSession Write(SqlDialect dialect)
    {
        if (dialect.ReadOnly) throw new InvalidOperationException($"storage {dialect.MaskedUrl} was opened read-only: a write is a bug");
        var connection = dialect.Open();
        try { return new SqlSession(dialect, connection, Translate(dialect, () => dialect.BeginWrite(connection))); }
        catch { connection.Dispose(); throw; }
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return Translate(_dialect, command.ExecuteNonQuery);
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        object? result = Translate(_dialect, command.ExecuteScalar);
        return result is DBNull ? null : result;
    }

    public long? Long(string sql, params (string Name, object? Value)[] parameters) =>
        Scalar(sql, parameters) is { } value ? Convert.ToInt64(value) : null;

    /// <summary>A reader to dispose before the session; its command lives as long as the session.</summary>
    public DbDataReader Query(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Command(sql, parameters);
        _readerCommands.Add(command);
        return Translate(_dialect, () => command.ExecuteReader());
    }

    public void Commit() => Translate(_dialect, () => { _transaction!.Commit(); return 0; });

    /// <summary>Runs a database call, reporting a failure of the database's surroundings as a <see cref="StorageException"/>.</summary>
    public static T Translate<T>(SqlDialect dialect, Func<T> call)
    {
        try { return call(); }
        catch (DbException e) when (dialect.IsEnvironmentFailure(e))
        {
            throw new StorageException($"storage {dialect.MaskedUrl}: {e.Message.Split('\n')[0].Trim()}", e);
        }
    }

    public void Dispose()
    {
        foreach (var command in _readerCommands) command.Dispose();
        _transaction?.Dispose();
        _connection.Dispose();
    }

    private DbCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
