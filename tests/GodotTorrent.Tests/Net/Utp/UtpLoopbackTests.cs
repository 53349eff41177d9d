using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using GodotTorrent.Net;
using GodotTorrent.Net.Utp;
using Microsoft.Extensions.Logging.Abstractions;

namespace GodotTorrent.Tests.Net.Utp;

/// <summary>
/// uTP over real UDP sockets on loopback: the production path (UdpMultiplexer, thread-pool
/// completions, batch-end acks). Timing behaviour is tested on the simulated network instead.
/// </summary>
public sealed class UtpLoopbackTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bytes_cross_both_ways_exactly_and_a_clean_close_reads_as_end_of_stream()
    {
        await using var server = Transport();
        await using var client = Transport();
        await using var listener = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        var accepting = listener.AcceptAsync(CancellationToken.None).AsTask();
        var connected = await client.ConnectAsync(listener.LocalEndPoint, CancellationToken.None).AsTask().WaitAsync(Limit);
        Assert.Equal(GodotTorrent.Session.PeerTransport.Utp, connected.Transport);

        var upload = RandomNumberGenerator.GetBytes(8 << 20);
        var download = RandomNumberGenerator.GetBytes(3 << 20);
        // The acceptor only learns of the connection when data arrives (a SYN alone stays half-open).
        var sending = StreamBytes.SendAsync(connected, upload);
        var accepted = await accepting.WaitAsync(Limit);
        var serverSending = StreamBytes.SendAsync(accepted, download);

        var atServer = await StreamBytes.ReadAsync(accepted, upload.Length).WaitAsync(Limit);
        var atClient = await StreamBytes.ReadAsync(connected, download.Length).WaitAsync(Limit);
        await sending.WaitAsync(Limit);
        await serverSending.WaitAsync(Limit);
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(atServer));
        Assert.Equal(SHA256.HashData(download), SHA256.HashData(atClient));

        await connected.DisposeAsync();
        var buffer = new byte[16];
        Assert.Equal(0, await accepted.ReceiveAsync(buffer, CancellationToken.None).AsTask().WaitAsync(Limit));
        await accepted.DisposeAsync();
    }

    [Fact]
    public async Task Abort_resets_the_other_side()
    {
        await using var server = Transport();
        await using var client = Transport();
        await using var listener = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        var accepting = listener.AcceptAsync(CancellationToken.None).AsTask();
        var connected = await client.ConnectAsync(listener.LocalEndPoint, CancellationToken.None).AsTask().WaitAsync(Limit);
        await connected.SendAsync(new byte[100], CancellationToken.None);
        var accepted = await accepting.WaitAsync(Limit);
        Assert.Equal(100, (await StreamBytes.ReadAsync(accepted, 100)).Length);

        var reading = accepted.ReceiveAsync(new byte[16], CancellationToken.None).AsTask();
        connected.Abort();
        var error = await Assert.ThrowsAsync<SocketException>(() => reading.WaitAsync(Limit));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    [Fact]
    public async Task Connecting_to_a_port_nobody_listens_on_fails_instead_of_hanging()
    {
        await using var client = Transport();
        using var nobody = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        nobody.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var silent = (IPEndPoint)nobody.LocalEndPoint!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ConnectAsync(silent, timeout.Token).AsTask().WaitAsync(Limit));
    }

    internal static UtpTransport Transport(bool acceptIncoming = true) =>
        new(new UdpNetwork(NullLoggerFactory.Instance), TimeProvider.System, () => new Random(),
            () => new UtpPolicy(acceptIncoming, TimeSpan.FromMilliseconds(100)), NullLoggerFactory.Instance);
}
