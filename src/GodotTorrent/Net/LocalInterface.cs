using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace GodotTorrent.Net;

/// <summary>A network interface of this machine by name, with its unicast addresses.</summary>
/// <param name="Name">Its name (<c>eth0</c>, <c>lo</c>; on Windows the friendly name).</param>
/// <param name="Addresses">Its addresses, IPv4 first.</param>
internal sealed record LocalInterface(string Name, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>The machine's interfaces as System.Net.NetworkInformation sees them now.</summary>
    public static IReadOnlyList<LocalInterface> FromSystem()
    {
        NetworkInterface[] all;
        try
        {
            all = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return [];
        }

        return all.Select(i => new LocalInterface(i.Name, Usable(i))).ToList();
    }

    private static List<IPAddress> Usable(NetworkInterface adapter)
    {
        IEnumerable<UnicastIPAddressInformation> unicast;
        try
        {
            unicast = adapter.GetIPProperties().UnicastAddresses;
        }
        catch (NetworkInformationException)
        {
            return [];
        }

        // IPv6 link-local addresses are left out: only the link's neighbours reach them, they need a
        // scope to bind, and a fresh one is tentative (unbindable) for its first seconds.
        return unicast.Select(u => u.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal))
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .ToList();
    }
}
