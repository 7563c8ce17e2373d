using System.Text.Json;

namespace Sparta.Dashboard.Tests;

/// <summary>A dashboard on a free loopback port for one test, with a client that reads its answers.</summary>
public sealed class RunningDashboard : IAsyncDisposable
{
    private RunningDashboard(DashboardServer server)
    {
        Server = server;
        Client = new HttpClient { BaseAddress = server.Url };
    }

    public DashboardServer Server { get; }
    public HttpClient Client { get; }

    public static async Task<RunningDashboard> StartAsync(TempStorage temp) =>
        new(await DashboardServer.StartAsync(temp.Storage, temp.RunsDirectory, ListenAddress.Loopback(0)));

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
