using Npgsql;

namespace Sparta.Tuning.Tests.Storage;

/// <summary>
/// The PostgreSQL server the tests use, named by SPARTA_TEST_POSTGRES (test.sh starts one with
/// scripts/start-postgres.sh). Each test gets a database of its own, dropped at the end. In CI
/// (CI=true) an unset variable fails the tests with a message saying so; elsewhere the tests
/// start the throwaway server themselves with the same script.
/// </summary>
public sealed class PostgresTestServer : IDisposable
{
    private const string Variable = "SPARTA_TEST_POSTGRES";
    private static readonly Lazy<string> ServerUrl = new(FindServer);
    private readonly List<string> _databases = new();

    /// <summary>The URL of a new, empty database on the test server.</summary>
    public string CreateDatabase()
    {
        string name = "sparta_test_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = Connect(ServerUrl.Value))
        using (var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection))
            command.ExecuteNonQuery();
        lock (_databases) _databases.Add(name);
        var url = new UriBuilder(ServerUrl.Value) { Path = "/" + name };
        return url.Uri.ToString().TrimEnd('/');
    }

    public void Dispose()
    {
        if (_databases.Count == 0) return;
        NpgsqlConnection.ClearAllPools();
        using var connection = Connect(ServerUrl.Value);
        foreach (string name in _databases)
        {
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>An open, unpooled connection to the database a test URL names.</summary>
    public static NpgsqlConnection Connect(string url)
    {
        var uri = new Uri(url);
        string[] user = uri.UserInfo.Split(':', 2);
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = uri.AbsolutePath.TrimStart('/'),
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            Pooling = false,
        }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static string FindServer()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url) return url;
        if (Environment.GetEnvironmentVariable("CI") == "true")
            throw new InvalidOperationException($"{Variable} is not set: CI must start PostgreSQL first (eval \"$(scripts/start-postgres.sh)\")");
        return StartWithScript();
    }

    private static string StartWithScript()
    {
        string script = Path.Combine(RepositoryRoot(), "scripts", "start-postgres.sh");
        var start = new System.Diagnostics.ProcessStartInfo("bash", new[] { script })
        {
            RedirectStandardInput = true, // nothing may stop to ask for input in the middle of a test run
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        const string prefix = "export " + Variable + "=";
        string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"{Variable} is not set and {script} failed (exit {process.ExitCode}): {error.Trim()}");
        return line[prefix.Length..].Trim();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sparta.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Sparta.sln above {AppContext.BaseDirectory}");
    }
}
