using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GodotTorrent.Trackers;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Trackers;

public class UdpTrackerTests
{
    private static readonly byte[] TwoPeers = TrackerTestData.Compact(("10.0.0.1", 6881), ("10.0.0.2", 6882));

    private static int Tid(byte[] packet) => BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(12));

    private static int Action(byte[] packet) => BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(8));

    [Fact]
    public async Task Connect_then_announce_sends_the_BEP15_layout_and_reads_the_reply()
    {
        using var server = new FakeUdpTracker(FakeUdpTracker.Standard(TwoPeers, interval: 1234));
        // This test counts packets: a retry base long enough that a loaded machine never retransmits.
        var options = TrackerTestData.FastOptions with { UdpRetryBase = TimeSpan.FromSeconds(5) };
        using var client = new UdpTrackerClient(new Uri(server.AnnounceUrl), options, TimeProvider.System);
        var reply = await client.AnnounceAsync(TrackerTestData.Request(AnnounceEvent.Completed), CancellationToken.None);

        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.1"), 6881), new IPEndPoint(IPAddress.Parse("10.0.0.2"), 6882)], reply.Peers);
        Assert.Equal(TimeSpan.FromSeconds(1234), reply.Interval);
        Assert.Equal(3, reply.Complete);
        Assert.Equal(2, reply.Incomplete);

        var packets = server.Received.ToArray();
        Assert.Equal(2, packets.Length);
        Assert.Equal(16, packets[0].Length);
        Assert.Equal(0x41727101980, BinaryPrimitives.ReadInt64BigEndian(packets[0]));
        Assert.Equal(0, Action(packets[0]));
        var announce = packets[1];
        Assert.Equal(98, announce.Length);
        Assert.Equal(0x1122334455667788, BinaryPrimitives.ReadInt64BigEndian(announce));
        Assert.Equal(1, Action(announce));
        Assert.Equal(TrackerTestData.InfoHash, announce[16..36]);
        Assert.Equal(TrackerTestData.PeerId, announce[36..56]);
        Assert.Equal(200, BinaryPrimitives.ReadInt64BigEndian(announce.AsSpan(56))); // downloaded
        Assert.Equal(300, BinaryPrimitives.ReadInt64BigEndian(announce.AsSpan(64))); // left
        Assert.Equal(100, BinaryPrimitives.ReadInt64BigEndian(announce.AsSpan(72))); // uploaded
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(announce.AsSpan(80))); // completed
        Assert.Equal(0xDEADBEEF, BinaryPrimitives.ReadUInt32BigEndian(announce.AsSpan(88))); // key
        Assert.Equal(50, BinaryPrimitives.ReadInt32BigEndian(announce.AsSpan(92))); // num_want
        Assert.Equal(6881, BinaryPrimitives.ReadUInt16BigEndian(announce.AsSpan(96)));
        Assert.NotEqual(Tid(packets[0]), Tid(announce));
    }

    [Fact]
    public async Task Connection_id_is_reused_for_a_minute_then_renewed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var server = new FakeUdpTracker(FakeUdpTracker.Standard(TwoPeers));
        using var client = new UdpTrackerClient(new Uri(server.AnnounceUrl), TrackerTestData.FastOptions, time);
        await client.AnnounceAsync(TrackerTestData.Request(), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(59));
        await client.AnnounceAsync(TrackerTestData.Request(AnnounceEvent.None), CancellationToken.None);
        await client.ScrapeAsync(TrackerTestData.InfoHash, CancellationToken.None);
        Assert.Equal(1, client.ConnectCount);
        time.Advance(TimeSpan.FromSeconds(2));
        await client.AnnounceAsync(TrackerTestData.Request(AnnounceEvent.None), CancellationToken.None);
        Assert.Equal(2, client.ConnectCount);
        Assert.Equal(2, server.Count(0));
        Assert.Equal(3, server.Count(1));
    }

    [Fact]
    public async Task Replies_with_another_transaction_id_are_ignored()
    {
        using var server = new FakeUdpTracker(packet =>
        {
            var good = FakeUdpTracker.Standard(TwoPeers)(packet);
            int tid = Tid(packet);
            // A forged reply first (wrong id, and an error), then a runt, then the real one.
            return [FakeUdpTracker.ErrorReply(tid + 1, "forged"), new byte[] { 1, 2, 3 }, .. good];
        });
        using var client = new UdpTrackerClient(new Uri(server.AnnounceUrl), TrackerTestData.FastOptions, TimeProvider.System);
        var reply = await client.AnnounceAsync(TrackerTestData.Request(), CancellationToken.None);
        Assert.Equal(2, reply.Peers.Count);
    }

    [Fact]
    public async Task Error_action_is_a_tracker_failure_with_its_message()
    {
        using var server = new FakeUdpTracker(packet => Action(packet) == 0
            ? FakeUdpTracker.Standard(TwoPeers)(packet)
            : [FakeUdpTracker.ErrorReply(Tid(packet), "unregistered torrent")]);
        using var client = new UdpTrackerClient(new Uri(server.AnnounceUrl), TrackerTestData.FastOptions, TimeProvider.System);
        var error = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(TrackerTestData.Request(), CancellationToken.None));
        Assert.Equal(ErrorCode.TrackerFailure, error.ErrorCode);
        Assert.Equal("unregistered torrent", error.Message);
    }

    [Fact]
    public async Task Lost_packets_are_retried_with_doubling_timeouts()
    {
        int dropped = 0;
        using var server = new FakeUdpTracker(packet => Interlocked.Increment(ref dropped) <= 2 ? [] : FakeUdpTracker.Standard(TwoPeers)(packet));
        using var client = new UdpTrackerClient(new Uri(server.AnnounceUrl), TrackerTestData.FastOptions with { UdpMaxRetries = 3 }, TimeProvider.System);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reply = await client.AnnounceAsync(TrackerTestData.Request(), CancellationToken.None);
        Assert.Equal(2, reply.Peers.Count);
        // Two time-outs of 100 ms and 200 ms before the third connect is answered.
        Assert.InRange(clock.ElapsedMilliseconds, 280, 5000);
        Assert.Equal(3, server.Count(0));
    }

    [Fact]
    public async Task A_silent_tracker_times_out_after_the_last_retry()
    {
        using var server = new FakeUdpTracker(_ => []);
        using var client = new UdpTrackerClient(new Uri(server.AnnounceUrl), TrackerTestData.FastOptions with { UdpMaxRetries = 2 }, TimeProvider.System);
        var error = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(TrackerTestData.Request(), CancellationToken.None));
        Assert.Equal(ErrorCode.TrackerTimeout, error.ErrorCode);
        Assert.Equal(3, server.Received.Count); // n = 0, 1, 2
    }

    [Fact]
    public async Task Scrape_reads_seeders_completed_leechers()
    {
        using var server = new FakeUdpTracker(FakeUdpTracker.Standard(TwoPeers));
        using var client = new UdpTrackerClient(new Uri(server.AnnounceUrl), TrackerTestData.FastOptions, TimeProvider.System);
        var reply = await client.ScrapeAsync(TrackerTestData.InfoHash, CancellationToken.None);
        Assert.Equal(new ScrapeResponse(5, 3, 9), reply);
        var scrape = server.Received.Last();
        Assert.Equal(36, scrape.Length);
        Assert.Equal(2, Action(scrape));
        Assert.Equal(TrackerTestData.InfoHash, scrape[16..36]);
    }

    [Theory]
    [InlineData(5)]  // peers not a multiple of 6
    [InlineData(-10)] // shorter than the header
    public async Task Malformed_announce_replies_are_invalid_responses(int peerBytes)
    {
        using var server = new FakeUdpTracker(packet =>
        {
            if (Action(packet) == 0)
            {
                return FakeUdpTracker.Standard(TwoPeers)(packet);
            }

            var reply = FakeUdpTracker.AnnounceReply(Tid(packet), 1800, 0, 0, new byte[Math.Max(0, peerBytes)]);
            return [peerBytes < 0 ? reply[..10] : reply];
        });
        using var client = new UdpTrackerClient(new Uri(server.AnnounceUrl), TrackerTestData.FastOptions, TimeProvider.System);
        var error = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(TrackerTestData.Request(), CancellationToken.None));
        Assert.Equal(ErrorCode.InvalidTrackerResponse, error.ErrorCode);
    }

    [Fact]
    public async Task Over_ipv6_peers_are_18_bytes()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return;
        }

        var v6 = IPAddress.Parse("2001:db8::7").GetAddressBytes().Concat(new byte[] { 0x1A, 0xE1 }).ToArray();
        FakeUdpTracker server;
        try
        {
            server = new FakeUdpTracker(FakeUdpTracker.Standard(v6), ipv6: true);
        }
        catch (SocketException)
        {
            return; // no ::1 on this machine
        }

        using (server)
        {
            using var client = new UdpTrackerClient(new Uri(server.AnnounceUrl), TrackerTestData.FastOptions, TimeProvider.System);
            var reply = await client.AnnounceAsync(TrackerTestData.Request(), CancellationToken.None);
            Assert.Equal([new IPEndPoint(IPAddress.Parse("2001:db8::7"), 6881)], reply.Peers);
        }
    }

    [Fact]
    public async Task Nobody_listening_fails_typed()
    {
        int port;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        using var client = new UdpTrackerClient(new Uri($"udp://127.0.0.1:{port}/announce"), TrackerTestData.FastOptions, TimeProvider.System);
        var error = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(TrackerTestData.Request(), CancellationToken.None));
        Assert.Contains(error.ErrorCode, new[] { ErrorCode.TrackerConnectFailed, ErrorCode.TrackerTimeout });
    }
}
