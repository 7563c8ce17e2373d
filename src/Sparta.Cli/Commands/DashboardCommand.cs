using System.CommandLine;
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
public sealed class DashboardCommand : SpartaCommand
{
    private readonly Option<string?> _storage = OptionFactory.OptionalText("--storage", $"the study storage, as sparta tune takes it (default: {TuneStorageOptions.DefaultUrl})", "URL");
    private readonly Option<string> _runs = OptionFactory.Text("--runs", "the directory of run directories", "runs", "DIR");
    private readonly Option<int> _port = OptionFactory.Int("--port", "the port (0 picks a free one)", ListenAddress.DefaultPort, 0, 65535);
    private readonly Option<string> _host = OptionFactory.Text("--host", "the address to listen on; other than loopback needs --allow-remote", ListenAddress.DefaultHost, "ADDR");
    private readonly Option<bool> _allowRemote = OptionFactory.Flag("--allow-remote", "allow listening on an address other machines reach (the dashboard has no login)");

    public DashboardCommand() : base("dashboard", "Serve a live web page of the studies and runs until Ctrl+C (read-only, on the loopback address by default).",
        "sparta dashboard",
        "sparta dashboard --storage sqlite:///runs/mlp.db --port 8081")
    {
        foreach (var option in new Option[] { _storage, _runs, _port, _host, _allowRemote }) Add(option);
    }

    /// <summary>What the command line asks for; <see cref="StorageGiven"/> tells a default storage from one the user named.</summary>
    public sealed record Settings(string StorageUrl, bool StorageGiven, string RunsDirectory, ListenAddress Address);

    public Settings Read(ParseResult parse)
    {
        string? storage = parse.GetValue(_storage);
        try
        {
            var address = ListenAddress.Parse(parse.GetValue(_host)!, parse.GetValue(_port), parse.GetValue(_allowRemote));
            return new Settings(storage ?? TuneStorageOptions.DefaultUrl, storage is not null, parse.GetValue(_runs)!, address);
        }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        var options = Read(parse);
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
    private static IStudyStorage OpenStorage(Settings options, TextWriter output)
    {
        if (StorageUrl.SqliteFile(options.StorageUrl) is { Length: > 0 } file && !File.Exists(file))
        {
            if (options.StorageGiven) throw new UsageException($"option --storage: no database file '{file}' (sparta tune creates it)");
            output.WriteLine($"no study storage here ({options.StorageUrl}): showing runs only");
            return new InMemoryStorage();
        }
        try { return new TuneStorageOptions(options.StorageUrl, null, 1, options.StorageGiven).OpenReadOnly(); }
        catch (NoStudiesException e)
        {
            output.WriteLine($"{e.Message}: showing runs only");
            return new InMemoryStorage();
        }
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
