using System.Runtime.InteropServices;
using Sparta.Dashboard;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta dashboard [--storage URL] [--runs DIR] [--port P] [--host ADDR --allow-remote]</c>:
/// serves the live dashboard of a study storage and a runs directory until Ctrl+C. It listens on
/// the loopback address unless told otherwise, and only reads.
/// </summary>
public sealed class DashboardCommand : ICommand
{
    public string Name => "dashboard";
    public string Summary => "live web page of studies and runs: sparta dashboard [--storage URL] [--runs DIR] [--port 8080] [--host 127.0.0.1 --allow-remote]";
    public IReadOnlySet<string> Flags => new HashSet<string> { "allow-remote" };

    /// <summary>What the command line asks for; <see cref="StorageGiven"/> tells a default storage from one the user named.</summary>
    public sealed record Options(string StorageUrl, bool StorageGiven, string RunsDirectory, ListenAddress Address);

    public static Options Parse(Arguments args)
    {
        string? storage = args.String("storage");
        string runs = args.String("runs") ?? "runs";
        int port = args.Int("port", ListenAddress.DefaultPort, 0, 65535);
        string host = args.String("host") ?? ListenAddress.DefaultHost;
        bool allowRemote = args.Flag("allow-remote");
        args.RejectUnknown("dashboard");
        if (args.Positional.Count > 0) throw new UsageException($"expected no positional argument, got '{args.Positional[0]}'");
        try { return new Options(storage ?? TuneStorageOptions.DefaultUrl, storage is not null, runs, ListenAddress.Parse(host, port, allowRemote)); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    public int Run(Arguments args, TextWriter output)
    {
        var options = Parse(args);
        using var storage = OpenStorage(options, output);
        var server = DashboardServer.StartAsync(storage, options.RunsDirectory, options.Address).GetAwaiter().GetResult();
        output.WriteLine($"dashboard at {server.Url} (studies in {StorageUrl.Mask(options.StorageUrl)}, runs in {options.RunsDirectory}); Ctrl+C stops it");
        WaitForStop();
        server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }

    /// <summary>
    /// Opens the storage without creating anything: a SQLite file the user named must exist; the
    /// default one may be absent (the dashboard then shows runs only), since opening it would create it.
    /// </summary>
    private static IStudyStorage OpenStorage(Options options, TextWriter output)
    {
        if (StorageUrl.SqliteFile(options.StorageUrl) is { Length: > 0 } file && !File.Exists(file))
        {
            if (options.StorageGiven) throw new UsageException($"option --storage: no database file '{file}' (sparta tune creates it)");
            output.WriteLine($"no study storage here ({options.StorageUrl}): showing runs only");
            return new InMemoryStorage();
        }
        return new TuneStorageOptions(options.StorageUrl, null, 1, options.StorageGiven).Open(storage => storage);
    }

    private static void WaitForStop()
    {
        using var stop = new ManualResetEventSlim();
        void Stop(PosixSignalContext context) { context.Cancel = true; stop.Set(); }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        stop.Wait();
    }
}
