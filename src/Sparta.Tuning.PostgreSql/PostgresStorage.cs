using System.Runtime.CompilerServices;
using Npgsql;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Tuning.Storage.Postgres;

/// <summary>
/// Studies kept in PostgreSQL in Optuna's schema. Referencing this package is enough for
/// <see cref="StorageUrl.Open"/> (and <c>sparta tune --storage</c>) to accept
/// <c>postgresql://USER:PASSWORD@HOST:PORT/DATABASE</c>, as SQLAlchemy picks a driver by its URL;
/// <see cref="Open(string)"/> opens one directly.
/// </summary>
public static class PostgresStorage
{
    /// <summary>Opens (and creates the schema of, when missing) the database the URL names.</summary>
    public static IStudyStorage Open(string url) => Open(url, readOnly: false);

    /// <summary>Opens the database only to read it: every transaction of the session refuses to write.</summary>
    public static IStudyStorage OpenReadOnly(string url) => Open(url, readOnly: true);

    /// <summary>Runs once, as this assembly loads: hands <see cref="StorageUrl"/> its PostgreSQL URLs.</summary>
    [ModuleInitializer]
    internal static void Register() => StorageUrl.AddScheme(StorageUrl.IsPostgres, Open);

    private static IStudyStorage Open(string url, bool readOnly)
    {
        string masked = StorageUrl.Mask(url);
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
}
