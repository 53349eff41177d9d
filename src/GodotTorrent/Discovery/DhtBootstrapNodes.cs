using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GodotTorrent.Discovery;

/// <summary>
/// <see cref="Session.SessionSettings.DhtBootstrapNodes"/> entries (<c>host:port</c>, <c>[v6]:port</c>)
/// turned into endpoints: IP literals at once, names through DNS with a time-out (off the loop).
/// </summary>
internal static class DhtBootstrapNodes
{
    /// <summary>More entries than this are ignored: each name costs a DNS query.</summary>
    public const int MaxNodes = 32;

    /// <summary>A host name is given up after this long.</summary>
    public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Splits the entries into endpoints (IP literals) and names still to resolve; malformed ones are skipped (validation refuses them).</summary>
    public static (List<IPEndPoint> Literals, List<(string Host, int Port)> Names) Split(IReadOnlyList<string> nodes)
    {
        var literals = new List<IPEndPoint>();
        var names = new List<(string, int)>();
        foreach (var node in nodes.Take(MaxNodes))
        {
            int colon = node.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(node.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                continue;
            }

            var host = node[..colon].Trim('[', ']');
            if (IPAddress.TryParse(host, out var address))
            {
                literals.Add(new IPEndPoint(address, port));
            }
            else
            {
                names.Add((host, port));
            }
        }

        return (literals, names);
    }

    /// <summary>Resolves one name to its addresses (IPv4 and IPv6), or throws within <see cref="ResolveTimeout"/>.</summary>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    /// <exception cref="OperationCanceledException">It took too long.</exception>
    public static async Task<IEnumerable<IPEndPoint>> ResolveAsync(string host, int port)
    {
        using var timeout = new CancellationTokenSource(ResolveTimeout);
        var addresses = await Dns.GetHostAddressesAsync(host, timeout.Token).ConfigureAwait(true);
        return addresses.Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6).Select(a => new IPEndPoint(a, port));
    }
}
