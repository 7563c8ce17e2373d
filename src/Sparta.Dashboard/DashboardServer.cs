using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sparta.Tuning.Storage;

namespace Sparta.Dashboard;

/// <summary>
/// The live dashboard: a Kestrel server answering GET requests only (the page, its JSON and its
/// SVG charts) over a study storage and a runs directory. Nothing it serves can change a study.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _warming;

    private DashboardServer(WebApplication app, Uri url, CancellationTokenSource stopping, Task warming)
    {
        (_app, _stopping, _warming) = (app, stopping, warming);
        Url = url;
    }

    /// <summary>The address the page is served at (with the actual port when port 0 was asked for).</summary>
    public Uri Url { get; }

    /// <summary>
    /// Starts listening; throws <see cref="IOException"/> with one line naming the address when it
    /// is taken. <paramref name="storage"/> stays owned by the caller.
    /// </summary>
    public static async Task<DashboardServer> StartAsync(IStudyStorage storage, string? runsDirectory, ListenAddress address)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(address.Address, address.Port));
        builder.Services.AddHostFiltering(filter =>
        {
            filter.AllowedHosts = address.AllowedHosts().ToList();
            filter.AllowEmptyHosts = false;
        });
        var app = builder.Build();
        app.UseHostFiltering();
        var runs = new RunCatalog(runsDirectory);
        var snapshots = new StudySnapshots { Made = StudyChartApi.DrawAhead };
        var importance = new ImportanceCache();
        PageAssets.Map(app);
        StudyApi.Map(app, storage, runs, snapshots, importance);
        RunApi.Map(app, runs);
        try
        {
            await app.StartAsync();
        }
        // Kestrel reports a taken port as an IOException, an address this machine does not have as a SocketException.
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync();
            throw new IOException(e.InnerException is AddressInUseException
                ? $"cannot listen on {address}: the address is already in use (choose another --port)"
                : $"cannot listen on {address}: {(e.InnerException ?? e).Message}");
        }
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var stopping = new CancellationTokenSource();
        return new DashboardServer(app, new Uri(bound), stopping, Warmup.Start(new Uri(bound), storage, runs, snapshots, importance, stopping.Token));
    }

    public async ValueTask DisposeAsync()
    {
        // The warm-up reads the storage, which the caller closes once this returns: it stops at the next study and is waited for.
        await _stopping.CancelAsync();
        await _warming;
        _stopping.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
