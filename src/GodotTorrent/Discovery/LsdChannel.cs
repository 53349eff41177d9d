using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using GodotTorrent.Net;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Discovery;

/// <summary>
/// One socket of local service discovery and the group it talks to. A multicast channel is bound
/// on the group's port (shared with other programs), joined on each interface that can multicast,
/// loopback included, with multicast loopback on so sessions on one host hear each other; it sends
/// each announce out of every joined interface. A unicast channel (tests) sends to the group endpoint.
/// </summary>
internal sealed class LsdChannel : IAsyncDisposable
{
    private readonly Socket? _multicast;
    private readonly IReadOnlyList<object> _interfaces;
    private readonly ILogger _logger;

    private LsdChannel(IDatagramSocket socket, IPEndPoint group, Socket? multicast, IReadOnlyList<object> interfaces, ILogger logger)
    {
        Socket = socket;
        Group = group;
        _multicast = multicast;
        _interfaces = interfaces;
        _logger = logger;
    }

    public IDatagramSocket Socket { get; }

    public IPEndPoint Group { get; }

    /// <summary>
    /// Opens <paramref name="group"/> on the interfaces the session listens on (every one when it
    /// listens on an unspecified address); null (logged) when it cannot be bound or joined anywhere.
    /// </summary>
    public static LsdChannel? Open(LsdGroup group, IDatagramNetwork datagrams, IReadOnlyList<IPAddress> listening, ILogger logger)
    {
        try
        {
            return group.Bind is { } bind
                ? new LsdChannel(datagrams.Bind(bind), group.Group, null, [], logger)
                : OpenMulticast(group.Group, listening, logger);
        }
        catch (SocketException e)
        {
            logger.LogWarning(e, "Local service discovery cannot use {Group}", group.Group);
            return null;
        }
    }

    /// <summary>Sends one datagram to the group (out of every joined interface); false when no copy left.</summary>
    public bool Send(ReadOnlySpan<byte> datagram)
    {
        if (_multicast is null)
        {
            return Socket.Send(datagram, Group);
        }

        bool any = false;
        foreach (var choice in _interfaces)
        {
            try
            {
                if (choice is IPAddress address)
                {
                    _multicast.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, address.GetAddressBytes());
                }
                else
                {
                    _multicast.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, (int)choice);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                _logger.LogDebug(e, "LSD cannot send out of interface {Interface}", choice);
                continue;
            }

            any |= Socket.Send(datagram, Group);
        }

        return any;
    }

    public ValueTask DisposeAsync() => Socket.DisposeAsync();

    private static LsdChannel? OpenMulticast(IPEndPoint group, IReadOnlyList<IPAddress> listening, ILogger logger)
    {
        bool v6 = group.AddressFamily == AddressFamily.InterNetworkV6;
        if (v6 && !System.Net.Sockets.Socket.OSSupportsIPv6)
        {
            return null;
        }

        var socket = new Socket(group.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Other LSD programs on the host (libtorrent, a second session) bind the same port.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (v6)
            {
                socket.DualMode = false;
            }

            socket.Bind(new IPEndPoint(v6 ? IPAddress.IPv6Any : IPAddress.Any, group.Port));
            var level = v6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;
            socket.SetSocketOption(level, SocketOptionName.MulticastLoopback, true);
            // BEP 14 announces stay on the local network.
            socket.SetSocketOption(level, SocketOptionName.MulticastTimeToLive, 1);
            var joined = Join(socket, group, listening, logger);
            if (joined.Count == 0)
            {
                logger.LogWarning("Local service discovery joined {Group} on no interface", group);
                socket.Dispose();
                return null;
            }

            return new LsdChannel(UdpMultiplexer.Adopt(socket, logger), group, socket, joined, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // The interfaces joined: an IPv4 address (what IP_MULTICAST_IF takes) or an IPv6 interface index.
    private static List<object> Join(Socket socket, IPEndPoint group, IReadOnlyList<IPAddress> listening, ILogger logger)
    {
        bool v6 = group.AddressFamily == AddressFamily.InterNetworkV6;
        var joined = new List<object>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            bool loopback = nic.NetworkInterfaceType == NetworkInterfaceType.Loopback;
            // Linux reports loopback without the multicast flag and in state "unknown"; it carries multicast all the same.
            if (!(loopback || (nic.SupportsMulticast && nic.OperationalStatus == OperationalStatus.Up)))
            {
                continue;
            }

            try
            {
                var properties = nic.GetIPProperties();
                // Announcing where no peer can reach us is noise; a session on loopback stays on loopback.
                if (!Serves(properties, loopback, listening))
                {
                    continue;
                }

                if (v6)
                {
                    if (!nic.Supports(NetworkInterfaceComponent.IPv6))
                    {
                        continue;
                    }

                    int index = properties.GetIPv6Properties().Index;
                    socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(group.Address, index));
                    joined.Add(index);
                }
                else if (properties.UnicastAddresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork)?.Address is { } address)
                {
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group.Address, address));
                    joined.Add(address);
                }
            }
            catch (Exception e) when (e is SocketException or NetworkInformationException or PlatformNotSupportedException)
            {
                logger.LogDebug(e, "LSD cannot join {Group} on {Interface}", group, nic.Name);
            }
        }

        return joined;
    }

    private static bool Serves(IPInterfaceProperties properties, bool loopback, IReadOnlyList<IPAddress> listening) =>
        listening.Any(a => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any) || (loopback && IPAddress.IsLoopback(a))
            || properties.UnicastAddresses.Any(u => u.Address.Equals(a)));
}
