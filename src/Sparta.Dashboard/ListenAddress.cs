using System.Net;

namespace Sparta.Dashboard;

/// <summary>
/// Where the dashboard listens: the loopback address by default, so a study's data stays on the
/// machine; any other address only when the user says so with <c>allowRemote</c>.
/// </summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8080;

    public static ListenAddress Loopback(int port) => new(IPAddress.Loopback, port);

    /// <summary>
    /// Parses <paramref name="host"/> (an IP address or <c>localhost</c>); a host name is refused
    /// because Kestrel would listen on every interface for it.
    /// </summary>
    public static ListenAddress Parse(string host, int port, bool allowRemote)
    {
        IPAddress address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ArgumentException($"option --host: expected an IP address or localhost, got '{host}'");
        if (!IPAddress.IsLoopback(address) && !allowRemote)
            throw new ArgumentException($"option --host: {host} is reachable from other machines and the dashboard has no login; add --allow-remote to listen there anyway");
        if (port is < 0 or > 65535) throw new ArgumentException($"option --port: expected a port in [0, 65535], got {port}");
        return new(address, port);
    }

    /// <summary>
    /// The host names a request may carry: the loopback names, or the address given with
    /// --allow-remote (every name and address of this machine when it listens on all of them).
    /// Any other Host header is refused, so a page on another site cannot reach the dashboard
    /// through a DNS name rebound to this machine.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts()
    {
        var hosts = new List<string> { "localhost", "127.0.0.1", "[::1]" };
        if (Address.Equals(IPAddress.Any) || Address.Equals(IPAddress.IPv6Any))
        {
            string machine = Dns.GetHostName();
            hosts.Add(machine);
            hosts.AddRange(Dns.GetHostAddresses(machine).Select(HostName));
        }
        else if (!IPAddress.IsLoopback(Address)) hosts.Add(HostName(Address));
        return hosts.Distinct().ToArray();
    }

    private static string HostName(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    public override string ToString() => new IPEndPoint(Address, Port).ToString();
}
