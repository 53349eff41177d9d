using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Nat.Upnp;

/// <summary>
/// SSDP discovery of Internet Gateway Devices (UPnP Device Architecture 1.1, section 1.3.2):
/// M-SEARCH from each local IPv4 address to the SSDP group (TTL 2, resent on a schedule), replies
/// collected for a bounded window and handed over one location at a time, in arrival order.
/// </summary>
internal sealed class SsdpSearch(UpnpOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>The device types searched for: IGD 1 and 2.</summary>
    public static readonly IReadOnlyList<string> SearchTargets =
    [
        "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
        "urn:schemas-upnp-org:device:InternetGatewayDevice:2",
    ];

    // A hostile LAN could answer with endless distinct locations: look at this many at most.
    private const int MaxLocations = 16;

    /// <summary>
    /// Searches until <paramref name="found"/> returns true for a reply (a usable gateway) or the
    /// window ends. <paramref name="refused"/> hears of replies refused for pointing elsewhere.
    /// </summary>
    public async Task SearchAsync(Func<SsdpResponse, IPAddress, Task<bool>> found, Action<string> refused, CancellationToken cancellationToken)
    {
        var all = OpenSockets();
        var sockets = all.ToList(); // the ones still receiving
        using var window = new CancellationTokenSource(options.SearchWindow, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, window.Token);
        try
        {
            if (all.Count == 0)
            {
                logger.LogDebug("UPnP: no IPv4 interface to search from");
                return;
            }

            var sending = SendAllAsync(all, linked.Token);
            var receives = sockets.Select(s => ReceiveAsync(s.Socket, linked.Token)).ToList();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (receives.Count > 0)
            {
                var done = await Task.WhenAny(receives).ConfigureAwait(true);
                int index = receives.IndexOf(done);
                var datagram = await done.ConfigureAwait(true);
                if (datagram is not { } reply)
                {
                    receives.RemoveAt(index);
                    sockets.RemoveAt(index);
                    continue;
                }

                var response = SsdpResponse.Parse(reply.Bytes, reply.From.Address, out string? error);
                if (error is not null && seen.Count < MaxLocations && seen.Add(error))
                {
                    refused(error);
                }
                else if (response is not null && seen.Count < MaxLocations && seen.Add(response.Location.OriginalString)
                    && await found(response, sockets[index].Local).ConfigureAwait(true))
                {
                    return;
                }

                receives[index] = ReceiveAsync(sockets[index].Socket, linked.Token);
            }

            await sending.ConfigureAwait(true);
        }
        finally
        {
            // Stops the sender too when a gateway was found early.
            linked.Cancel();
            foreach (var (socket, _) in all)
            {
                socket.Dispose();
            }
        }
    }

    private static byte[] Message(IPEndPoint group, string target) => Encoding.ASCII.GetBytes(
        $"M-SEARCH * HTTP/1.1\r\nHOST: {group}\r\nST: {target}\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\n\r\n");

    private static async Task<(byte[] Bytes, IPEndPoint From)?> ReceiveAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[SsdpResponse.MaxBytes + 1];
        try
        {
            var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken).ConfigureAwait(true);
            return (buffer.AsSpan(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    private async Task SendAllAsync(List<(Socket Socket, IPAddress Local)> sockets, CancellationToken cancellationToken)
    {
        var elapsed = TimeSpan.Zero;
        try
        {
            foreach (var at in options.SearchSends)
            {
                if (at > elapsed)
                {
                    await Task.Delay(at - elapsed, time, cancellationToken).ConfigureAwait(true);
                    elapsed = at;
                }

                foreach (var (socket, local) in sockets)
                {
                    foreach (string target in SearchTargets)
                    {
                        try
                        {
                            await socket.SendToAsync(Message(options.MulticastEndPoint, target), SocketFlags.None, options.MulticastEndPoint, cancellationToken).ConfigureAwait(true);
                        }
                        catch (SocketException e)
                        {
                            logger.LogDebug("UPnP: M-SEARCH from {Local} failed: {Error}", local, e.SocketErrorCode);
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The window ended or a gateway was found.
        }
    }

    private List<(Socket Socket, IPAddress Local)> OpenSockets()
    {
        var sockets = new List<(Socket, IPAddress)>();
        foreach (var local in options.LocalAddresses ?? InterfaceAddresses())
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                if (options.MulticastEndPoint.Address.GetAddressBytes()[0] is >= 224 and <= 239)
                {
                    // TTL 2: a gateway is one hop away; the search must not roam the network.
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 2);
                    socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, local.GetAddressBytes());
                }

                sockets.Add((socket, local));
            }
            catch (SocketException e)
            {
                logger.LogDebug("UPnP: cannot search from {Local}: {Error}", local, e.SocketErrorCode);
                socket.Dispose();
            }
        }

        return sockets;
    }

    private static List<IPAddress> InterfaceAddresses()
    {
        var addresses = new List<IPAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    addresses.Add(unicast.Address);
                }
            }
        }

        return addresses;
    }
}
