using System.Data.Common;

namespace Sparta.Tuning.Storage.Relational;

/// <summary>
/// The few things SQLite and PostgreSQL do differently. Everything else, every query of the
/// storage, is written once in <see cref="RelationalStorage"/>.
/// </summary>
internal abstract class SqlDialect : IDisposable
{
    /// <summary>The storage URL with its password masked, for messages.</summary>
    public abstract string MaskedUrl { get; }

    // ---- column types of Optuna's schema as SQLAlchemy prints them for this database ----
    public abstract string SerialPrimaryKeyType { get; }
    public abstract string KeyColumn { get; }
    public abstract string DoubleType { get; }
    public abstract string DateTimeType { get; }
    public abstract string EnumColumnType(string name, string[] labels);
    /// <summary>The statement creating a named enum type, or null when the database has none.</summary>
    public abstract string? CreateEnumType(string name, string[] labels);

    /// <summary>An open connection from the pool; an unreachable database is an <see cref="IOException"/> naming the URL.</summary>
    public abstract DbConnection Open();

    /// <summary>A transaction that writes: it holds the locks that make read-then-write atomic.</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>A write transaction that also serializes schema creation among processes.</summary>
    public virtual DbTransaction BeginSchemaTransaction(DbConnection connection) => BeginWrite(connection);

    public abstract bool TableExists(DbConnection connection, DbTransaction? transaction, string table);

    /// <summary>An SQL expression giving an enum column the text value <paramref name="expression"/>.</summary>
    public abstract string Enum(string expression, string enumName);

    /// <summary>An SQL expression reading an enum column as its label text.</summary>
    public abstract string EnumText(string column);

    /// <summary>Suffix locking the rows a write transaction reads (empty where the whole write is serialized).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Suffix letting concurrent claimers skip each other's rows instead of waiting.</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>The database's clock as a value of a datetime column: heartbeats from many machines share it.</summary>
    public abstract string Now { get; }

    /// <summary>The database's clock minus a number of seconds given by a parameter.</summary>
    public abstract string SecondsAgo(string secondsParameter);

    /// <summary>A naive local datetime as the column stores it (Optuna writes <c>datetime.now()</c>).</summary>
    public abstract object DateTimeValue(DateTime value);

    public abstract DateTime ReadDateTime(DbDataReader reader, int ordinal);

    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>
    /// Whether a failure comes from the database's surroundings (a read-only or full disk, a missing
    /// permission, a lost connection, a file that is not a database) rather than from a statement
    /// of ours: those are the user's to fix and are reported as such; the rest are bugs.
    /// </summary>
    public abstract bool IsEnvironmentFailure(DbException exception);

    /// <summary>Opened only to read: no schema is created, no pragma or index written.</summary>
    public abstract bool ReadOnly { get; }

    public virtual void Dispose() { }
}
