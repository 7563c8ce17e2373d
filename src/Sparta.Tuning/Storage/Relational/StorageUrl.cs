using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
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
        if (Opener(url) is { } open) return open(url, readOnly);
        if (IsPostgres(url))
            throw new ArgumentException($"storage: '{Mask(url)}' needs the Sparta.Tuning.PostgreSql package (Npgsql): add it to the project");
        throw new ArgumentException($"storage: expected {Usage}, got '{Mask(url)}'");
    }

    /// <summary>Whether the URL names a PostgreSQL database (postgresql://, postgres://, postgresql+psycopg2://).</summary>
    public static bool IsPostgres(string url) => PostgresScheme().IsMatch(url);

    private static readonly List<(Func<string, bool> Matches, Func<string, bool, IStudyStorage> Open)> Schemes = [];
    private static readonly Lock SchemesLock = new();

    /// <summary>
    /// Lets a storage package open its URLs (<c>open(url, readOnly)</c>); Sparta.Tuning.PostgreSql
    /// adds postgresql:// as it loads.
    /// </summary>
    public static void AddScheme(Func<string, bool> matches, Func<string, bool, IStudyStorage> open)
    {
        lock (SchemesLock) Schemes.Add((matches, open));
    }

    private static Func<string, bool, IStudyStorage>? Opener(string url)
    {
        if (IsPostgres(url)) LoadDriver("Sparta.Tuning.PostgreSql");
        lock (SchemesLock) return Schemes.FirstOrDefault(s => s.Matches(url)).Open;
    }

    /// <summary>
    /// Loads a storage package the application references but has not touched yet, so its module
    /// initializer adds its scheme (as SQLAlchemy loads a dialect's driver by URL); absent, nothing happens.
    /// </summary>
    private static void LoadDriver(string assemblyName)
    {
        Assembly assembly;
        try { assembly = Assembly.Load(assemblyName); }
        catch (FileNotFoundException) { return; }
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
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

    // postgresql+psycopg2:// and postgres:// are the spellings SQLAlchemy users also write.
    [GeneratedRegex(@"^postgres(ql)?(\+\w+)?://")]
    private static partial Regex PostgresScheme();

    [GeneratedRegex(@"^(\w[\w+.-]*://[^:/@]*:)[^@/]*@")]
    private static partial Regex Password();
}
