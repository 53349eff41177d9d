using System.Net;
using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;
using GodotTorrent.Tests.Metainfo;
using GodotTorrent.Wire;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Wire;

public class PexStateTests
{
    private static readonly IPEndPoint Remote = IPEndPoint.Parse("10.9.9.9:6881");

    [Fact]
    public void The_first_message_lists_everyone_then_only_differences_once_a_minute()
    {
        var time = new FakeTimeProvider();
        var state = new PexState(time, Remote);
        PexPeer[] connected = [Peer(1), Peer(2), new PexPeer(Remote, PexFlags.None)];

        var first = PexMessage.Parse(state.TryBuildMessage(connected)!);
        Assert.Equal([Peer(1), Peer(2)], first.Added);
        Assert.Empty(first.Dropped);

        connected = [Peer(2), Peer(3)];
        Assert.Null(state.TryBuildMessage(connected));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(state.TryBuildMessage(connected));
        time.Advance(TimeSpan.FromSeconds(1));

        var second = PexMessage.Parse(state.TryBuildMessage(connected)!);
        Assert.Equal([Peer(3)], second.Added);
        Assert.Equal([Peer(1).EndPoint], second.Dropped);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(state.TryBuildMessage(connected));
        Assert.Null(state.TryBuildMessage([Peer(3), Peer(2)]));
    }

    [Fact]
    public void No_message_carries_more_than_fifty_added_or_dropped_and_the_rest_follows()
    {
        var time = new FakeTimeProvider();
        var state = new PexState(time);
        var many = Enumerable.Range(1, 120).Select(Peer).ToArray();

        var told = new HashSet<IPEndPoint>();
        for (int round = 0; round < 3; round++)
        {
            var message = PexMessage.Parse(state.TryBuildMessage(many)!, 1000, 1000);
            Assert.InRange(message.Added.Count, 1, 50);
            told.UnionWith(message.Added.Select(p => p.EndPoint));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(120, told.Count);
        Assert.Null(state.TryBuildMessage(many));

        var dropped = new HashSet<IPEndPoint>();
        for (int round = 0; round < 3; round++)
        {
            var message = PexMessage.Parse(state.TryBuildMessage([])!, 1000, 1000);
            Assert.InRange(message.Dropped.Count, 1, 50);
            dropped.UnionWith(message.Dropped);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(told, dropped);
        Assert.Null(state.TryBuildMessage([]));
    }

    [Fact]
    public void Inbound_messages_are_rate_limited_filtered_and_capped()
    {
        var time = new FakeTimeProvider();
        var state = new PexState(time, Remote, new PexOptions { MaxPeersPerConnection = 4 });
        var message = new PexMessage
        {
            Added =
            [
                Peer(1),
                Peer(1),
                new PexPeer(Remote, PexFlags.None),
                new PexPeer(IPEndPoint.Parse("10.0.0.5:0"), PexFlags.None),
                new PexPeer(IPEndPoint.Parse("0.0.0.0:80"), PexFlags.None),
                new PexPeer(IPEndPoint.Parse("239.1.1.1:80"), PexFlags.None),
                new PexPeer(IPEndPoint.Parse("255.255.255.255:80"), PexFlags.None),
                new PexPeer(IPEndPoint.Parse("[ff02::1]:80"), PexFlags.None),
                new PexPeer(IPEndPoint.Parse("127.0.0.1:7000"), PexFlags.Reachable),
                Peer(2),
            ],
        }.ToBytes();

        Assert.Equal([Peer(1), new PexPeer(IPEndPoint.Parse("127.0.0.1:7000"), PexFlags.Reachable), Peer(2)], state.OnMessage(message));

        var next = new PexMessage { Added = [Peer(2), Peer(3), Peer(4), Peer(5)] }.ToBytes();
        time.Advance(TimeSpan.FromSeconds(44));
        Assert.Empty(state.OnMessage(next));
        Assert.Equal(1, state.IgnoredMessages);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([Peer(3)], state.OnMessage(next));
        Assert.Equal(4, state.LearnedCount);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(state.OnMessage(new PexMessage { Added = [Peer(9)] }.ToBytes()));
    }

    [Fact]
    public void Inbound_messages_take_at_most_the_per_message_limit()
    {
        var state = new PexState(new FakeTimeProvider(), options: new PexOptions { MaxPeersPerConnection = 1000 });
        var big = new PexMessage { Added = [.. Enumerable.Range(1, 100).Select(Peer)] }.ToBytes();
        Assert.Equal(50, state.OnMessage(big).Count);
    }

    [Fact]
    public void A_malformed_inbound_message_is_a_protocol_error()
    {
        var state = new PexState(new FakeTimeProvider());
        Assert.Throws<PeerProtocolException>(() => state.OnMessage("d5:added1:xe"u8));
    }

    [Fact]
    public void Private_torrents_use_no_pex()
    {
        var info = TorrentFiles.SingleFileInfo("p", TorrentFiles.Content(100, 1), 16_384);
        Assert.True(PexState.IsAllowed(TorrentInfo.FromInfoDictionary(BencodeWriter.Encode(info))));
        info.Set("private", new BInteger(1));
        Assert.False(PexState.IsAllowed(TorrentInfo.FromInfoDictionary(BencodeWriter.Encode(info))));
        Assert.True(PexState.IsAllowed(null));
    }

    private static PexPeer Peer(int i) => new(new IPEndPoint(new IPAddress([10, 0, (byte)(i / 250), (byte)((i % 250) + 1)]), 6881), PexFlags.Reachable);
}
