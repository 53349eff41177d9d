using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace GodotTorrent.Net.Utp;

/// <summary>
/// The payload a uTP packet may carry to a destination: the interface's MTU less the IP, UDP and
/// uTP headers (and room for a selective ack), never under <see cref="UtpSocketManager.MinPacketSize"/>.
/// Loopback has a large MTU and no path to go wrong, so packets there are large (fewer system
/// calls per byte); elsewhere a connection drops to the minimum when large packets keep getting lost.
/// </summary>
internal static class UtpPacketSizes
{
    /// <summary>The largest payload we ever cut, even where the interface allows more.</summary>
    public const int MaxPacketSize = 32 * 1024;

    private const int UdpHeader = 8;
    private static readonly Lazy<(int Loopback, int Other)> Mtus = new(ReadMtus);

    /// <summary>The payload size for <paramref name="remote"/> on this machine.</summary>
    public static int For(IPEndPoint remote)
    {
        var (loopback, other) = Mtus.Value;
        int mtu = IPAddress.IsLoopback(remote.Address) ? loopback : other;
        return FromMtu(mtu, remote.AddressFamily);
    }

    /// <summary>The payload that fits an MTU.</summary>
    public static int FromMtu(int mtu, AddressFamily family)
    {
        int ipHeader = family == AddressFamily.InterNetworkV6 ? 40 : 20;
        int payload = Math.Min(mtu, 65535) - ipHeader - UdpHeader - UtpOutgoingPacket.HeaderRoom;
        return Math.Clamp(payload, UtpSocketManager.MinPacketSize, MaxPacketSize);
    }

    private static (int Loopback, int Other) ReadMtus()
    {
        int loopback = 65536;
        int other = 0;
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up)
                {
                    continue;
                }

                int mtu = nic.GetIPProperties().GetIPv4Properties()?.Mtu ?? 0;
                if (mtu <= 0)
                {
                    continue;
                }

                if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                {
                    loopback = mtu;
                }
                else
                {
                    // The smallest up interface: we do not know which one a peer is reached through.
                    other = other == 0 ? mtu : Math.Min(other, mtu);
                }
            }
        }
        catch (NetworkInformationException)
        {
        }
        catch (PlatformNotSupportedException)
        {
        }

        return (loopback, other == 0 ? 1500 : other);
    }
}
