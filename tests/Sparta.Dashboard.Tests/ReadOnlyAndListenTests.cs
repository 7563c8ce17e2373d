using System.Net;
using System.Net.Sockets;
using Sparta.Cli;
using Sparta.Cli.Commands;
using Sparta.Tuning;

namespace Sparta.Dashboard.Tests;

/// <summary>The dashboard only reads, and listens on the loopback address unless told otherwise.</summary>
public sealed class ReadOnlyAndListenTests : IDisposable
{
    private readonly TempStorage _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Routes() =>
    [
        "", "app.js", "style.css", "api/studies", "api/studies/s/trials", "api/studies/s/trials/0",
        "api/studies/s/history.svg", "api/studies/s/trials/0/curve.svg", "api/runs", "api/runs/r", "api/runs/r/history.svg",
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryRouteAnswersGetAndRefusesWritingMethods(string route)
    {
        var study = Study.Create("s", StudyDirection.Minimize, _temp.Storage);
        study.Tell(study.Ask(), 1.0);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            using var response = await dashboard.Client.SendAsync(new HttpRequestMessage(method, route) { Content = new StringContent("{}") });
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        }
        Assert.Equal(1, _temp.Storage.CountTrials(study.StudyId));
    }

    [Fact]
    public void TheCommandListensOnLoopbackByDefault()
    {
        var command = new DashboardCommand();
        var options = command.Read(command.Parse([]));
        Assert.True(IPAddress.IsLoopback(options.Address.Address));
        Assert.Equal(ListenAddress.DefaultPort, options.Address.Port);
    }

    [Fact]
    public async Task TheServerAnswersOnTheLoopbackAddressItWasGiven()
    {
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        Assert.Equal("127.0.0.1", dashboard.Server.Url.Host);
        Assert.NotEqual(0, dashboard.Server.Url.Port);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.20")]
    [InlineData("::")]
    public void ANonLoopbackAddressNeedsTheExplicitFlag(string host)
    {
        var error = Assert.Throws<ArgumentException>(() => ListenAddress.Parse(host, 8080, allowRemote: false));
        Assert.Contains("--allow-remote", error.Message);
        Assert.Contains(host, error.Message);
        Assert.Equal(IPAddress.Parse(host), ListenAddress.Parse(host, 8080, allowRemote: true).Address);
    }

    [Theory]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("127.0.0.1.nip.io", HttpStatusCode.BadRequest)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    public async Task OnlyTheLoopbackNamesAreAcceptedAsHostSoARebindingPageIsRefused(string host, HttpStatusCode expected)
    {
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var request = new HttpRequestMessage(HttpMethod.Get, "api/studies");
        request.Headers.Host = $"{host}:{dashboard.Server.Url.Port}";
        using var response = await dashboard.Client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public void ARemoteAddressAllowsItselfAndTheLoopbackNamesOnly()
    {
        var hosts = ListenAddress.Parse("192.168.1.20", 8080, allowRemote: true).AllowedHosts();
        Assert.Equal(new[] { "localhost", "127.0.0.1", "[::1]", "192.168.1.20" }, hosts);
        Assert.Contains(Dns.GetHostName(), ListenAddress.Parse("0.0.0.0", 8080, allowRemote: true).AllowedHosts());
    }

    [Fact]
    public void AHostNameIsRefusedSinceItWouldListenEverywhere()
    {
        var error = Assert.Throws<ArgumentException>(() => ListenAddress.Parse("example.org", 8080, allowRemote: true));
        Assert.Contains("'example.org'", error.Message);
    }

    [Theory]
    [InlineData(new[] { "--host", "0.0.0.0" }, 2, "--allow-remote")]
    [InlineData(new[] { "--storage", "mysql://db/x" }, 2, "mysql://db/x")]
    [InlineData(new[] { "--storage", "sqlite:////nonexistent/dir/x.db" }, 2, "/nonexistent/dir/x.db")]
    [InlineData(new[] { "--port", "70000" }, 2, "70000")]
    [InlineData(new[] { "--colour", "red" }, 2, "--colour")]
    public void BadOptionsFailWithOneLineNamingTheValue(string[] words, int exitCode, string named)
    {
        var (code, error) = RunCommand(["dashboard", "--port", "0", .. words]);
        Assert.Equal(exitCode, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains(named, error);
    }

    [Fact]
    public void APortInUseFailsWithOneLineAndANonZeroExit()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (code, error) = RunCommand(["dashboard", "--storage", _temp.Url, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal(1, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains($"127.0.0.1:{port}", error);
        Assert.Contains("already in use", error);
    }

    [Fact]
    public void AnUnreachableDatabaseFailsWithOneLineHidingThePassword()
    {
        // Port 1 on the loopback address: nothing listens there.
        var (code, error) = RunCommand(["dashboard", "--storage", "postgresql://u:secret@127.0.0.1:1/db", "--port", "0"]);
        Assert.Equal(1, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains("postgresql://u:***@127.0.0.1:1/db", error);
        Assert.DoesNotContain("secret", error);
    }

    [Fact]
    public void AnAddressThisMachineDoesNotHaveFailsWithOneLine()
    {
        // 192.0.2.0/24 is reserved for documentation: no machine has it.
        var (code, error) = RunCommand(["dashboard", "--storage", _temp.Url, "--port", "0", "--host", "192.0.2.1", "--allow-remote"]);
        Assert.Equal(1, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains("cannot listen on 192.0.2.1:0", error);
    }

    private static (int Code, string Error) RunCommand(string[] words)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(words, output, error);
        return (code, error.ToString());
    }
}
