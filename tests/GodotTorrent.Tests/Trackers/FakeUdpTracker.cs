using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace GodotTorrent.Tests.Trackers;

/// <summary>
/// A UDP tracker on 127.0.0.1 (or ::1) whose replies a test scripts: the handler gets each
/// datagram and returns the datagrams to send back (none to drop it).
/// </summary>
public sealed class FakeUdpTracker : IDisposable
{
    private readonly UdpClient _udp;
    private readonly Func<byte[], IReadOnlyList<byte[]>> _handler;
    private readonly CancellationTokenSource _stop = new();

    public FakeUdpTracker(Func<byte[], IReadOnlyList<byte[]>> handler, bool ipv6 = false)
    {
        _handler = handler;
        _udp = new UdpClient(new IPEndPoint(ipv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
        _ = LoopAsync();
    }

    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    public string AnnounceUrl => _udp.Client.AddressFamily == AddressFamily.InterNetworkV6
        ? $"udp://[::1]:{Port}/announce"
        : $"udp://127.0.0.1:{Port}/announce";

    public ConcurrentQueue<byte[]> Received { get; } = new();

    public int Count(int action) => Received.Count(p => p.Length >= 12 && BinaryPrimitives.ReadInt32BigEndian(p.AsSpan(8)) == action);

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
    }

    /// <summary>A well-behaved tracker: connection id 0x1122334455667788, announce replies with <paramref name="peers"/> (compact bytes), scrape 5/3/9.</summary>
    public static Func<byte[], IReadOnlyList<byte[]>> Standard(byte[] peers, int interval = 1800) => packet =>
    {
        int action = BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(8));
        int tid = BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(12));
        return action switch
        {
            0 => [ConnectReply(tid, 0x1122334455667788)],
            1 => [AnnounceReply(tid, interval, 2, 3, peers)],
            2 => [ScrapeReply(tid, 5, 9, 3)],
            _ => [],
        };
    };

    public static byte[] ConnectReply(int tid, long connectionId)
    {
        var reply = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(reply, 0);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(4), tid);
        BinaryPrimitives.WriteInt64BigEndian(reply.AsSpan(8), connectionId);
        return reply;
    }

    public static byte[] AnnounceReply(int tid, int interval, int leechers, int seeders, byte[] peers)
    {
        var reply = new byte[20 + peers.Length];
        BinaryPrimitives.WriteInt32BigEndian(reply, 1);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(4), tid);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(8), interval);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(12), leechers);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(16), seeders);
        peers.CopyTo(reply, 20);
        return reply;
    }

    public static byte[] ScrapeReply(int tid, int seeders, int completed, int leechers)
    {
        var reply = new byte[20];
        BinaryPrimitives.WriteInt32BigEndian(reply, 2);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(4), tid);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(8), seeders);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(12), completed);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(16), leechers);
        return reply;
    }

    public static byte[] ErrorReply(int tid, string message)
    {
        var text = System.Text.Encoding.UTF8.GetBytes(message);
        var reply = new byte[8 + text.Length];
        BinaryPrimitives.WriteInt32BigEndian(reply, 3);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(4), tid);
        text.CopyTo(reply, 8);
        return reply;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult result;
            try
            {
                result = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            Received.Enqueue(result.Buffer);
            foreach (var reply in _handler(result.Buffer))
            {
                try
                {
                    await _udp.SendAsync(reply, result.RemoteEndPoint, _stop.Token);
                }
                catch (Exception)
                {
                    return;
                }
            }
        }
    }
}
