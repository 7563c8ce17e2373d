using System.Text.RegularExpressions;
using Npgsql;
using Sparta.Tuning.Storage.Postgres;
using Sparta.Tuning.Storage.Sqlite;

namespace Sparta.Tuning.Storage.Relational;

/// <summary>
/// Opens a study storage from the URL a user writes, in SQLAlchemy's form as Optuna users know it:
/// <c>sqlite:///study.db</c> (relative path), <c>sqlite:////abs/path/study.db</c>,
/// <c>postgresql://user:password@host:port/database</c>, or <c>memory</c>.
/// </summary>
public static partial class StorageUrl
{
    public const string Usage = "sqlite:///PATH.db, postgresql://USER:PASSWORD@HOST:PORT/DATABASE or memory";

    public static IStudyStorage Open(string url) => Open(url, readOnly: false);

    /// <summary>
    /// Opens a storage only to read it, changing nothing in it: no schema, index or journal mode is
    /// written (a report or dashboard on an Optuna-made file leaves it byte for byte as it was), and
    /// a database without studies is a <see cref="StorageException"/>. Writing through it is a bug.
    /// </summary>
    public static IStudyStorage OpenReadOnly(string url) => Open(url, readOnly: true);

    private static IStudyStorage Open(string url, bool readOnly)
    {
        if (url == "memory") return new InMemoryStorage();
        if (url.StartsWith("sqlite:///", StringComparison.Ordinal)) return OpenSqlite(url, readOnly);
        if (PostgresScheme().IsMatch(url)) return OpenPostgres(url, readOnly);
        throw new ArgumentException($"storage: expected {Usage}, got '{Mask(url)}'");
    }

    /// <summary>The database file a <c>sqlite:///</c> URL names (relative to the current directory unless absolute), or null for other storages.</summary>
    public static string? SqliteFile(string url) => url.StartsWith("sqlite:///", StringComparison.Ordinal) ? url["sqlite:///".Length..] : null;

    /// <summary>The URL with its password replaced by ***, fit for messages and logs.</summary>
    public static string Mask(string url) => Password().Replace(url, "$1***@");

    private static RelationalStorage OpenSqlite(string url, bool readOnly)
    {
        string path = SqliteFile(url)!;
        if (path.Length == 0 || path == ":memory:")
            throw new ArgumentException($"storage: '{url}' names no database file (for a study kept in memory, use 'memory')");
        return new RelationalStorage(new SqliteDialect(path, url, readOnly));
    }

    private static RelationalStorage OpenPostgres(string url, bool readOnly)
    {
        string masked = Mask(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new ArgumentException($"storage: expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE, got '{masked}'");
        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0) throw new ArgumentException($"storage: '{masked}' names no database");
        if (uri.Query.Length > 0) throw new ArgumentException($"storage: '{masked}': URL query options are not supported");
        string[] userInfo = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
            Username = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null,
            Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null,
            Timeout = 10,
        };
        return new RelationalStorage(new PostgresDialect(builder.ConnectionString, masked, readOnly));
    }

    // postgresql+psycopg2:// and postgres:// are the spellings SQLAlchemy users also write.
    [GeneratedRegex(@"^postgres(ql)?(\+\w+)?://")]
    private static partial Regex PostgresScheme();

    [GeneratedRegex(@"^(\w[\w+.-]*://[^:/@]*:)[^@/]*@")]
    private static partial Regex Password();
}
