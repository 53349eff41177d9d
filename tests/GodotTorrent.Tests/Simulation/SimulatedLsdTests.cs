using System.Net;
using System.Text;
using GodotTorrent.Bencoding;
using GodotTorrent.Discovery;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Local service discovery (BEP 14) between simulated sessions. The simulation has no multicast,
/// so a tap at a made-up group address plays the group (<see cref="SimLsdGroup"/>).
/// </summary>
public sealed class SimulatedLsdTests
{
    private static readonly IPEndPoint GroupEndPoint = SimLsdGroup.GroupEndPoint;
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);
    private static readonly SessionSettings Lsd = SimSwarm.DefaultSettings with { EnableLsd = true };

    [Fact]
    public void A_downloader_finds_a_seed_through_lsd_alone_and_the_seed_its_own_announce()
    {
        using var swarm = new SimSwarm(141);
        var group = new SimLsdGroup(swarm);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20);
        var seed = group.AddNode(Lsd);
        swarm.AddTorrent(seed, torrent, content);
        swarm.RunFor(TimeSpan.FromSeconds(30));
        // Slow enough that the connection is still there when the test looks at it.
        var leecher = group.AddNode(Lsd with { DownloadRateLimit = 128 * 1024 });
        swarm.AddTorrent(leecher, torrent);

        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.PeerCount > 0, TimeSpan.FromMinutes(1)));
        // Whichever dialled first found the other through LSD (the seed hears the leecher's start-up announce).
        var leechersPeer = Assert.Single(swarm.Run(leecher.Torrent!.GetPeersAsync()));
        var seedsPeer = Assert.Single(swarm.Run(seed.Torrent!.GetPeersAsync()));
        Assert.True((leechersPeer.Source == "lsd" && leechersPeer.EndPoint.Equals(seed.EndPoint))
            || (seedsPeer.Source == "lsd" && seedsPeer.EndPoint.Equals(leecher.EndPoint)), $"{leechersPeer.Source} {leechersPeer.EndPoint} / {seedsPeer.Source} {seedsPeer.EndPoint}");
        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)));
        Assert.Equal(content, swarm.ReadFile(leecher, torrent.Files[0]));
        // Each heard the other's announces and knew its own by the cookie.
        Assert.True(seed.Session.Lsd.Received > 0);
        Assert.True(seed.Session.Lsd.OwnHeard > 0 && leecher.Session.Lsd.OwnHeard > 0);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void Without_the_setting_nothing_is_sent_and_nothing_found()
    {
        using var swarm = new SimSwarm(142);
        var group = new SimLsdGroup(swarm);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20);
        var seed = group.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        var leecher = group.AddNode();
        swarm.AddTorrent(leecher, torrent);

        swarm.RunFor(TimeSpan.FromMinutes(6));
        Assert.Equal(0, group.Tap.Count);
        Assert.Empty(swarm.Run(leecher.Torrent!.GetPeersAsync()));
    }

    [Fact]
    public void Announces_are_paced_a_second_apart_batched_and_repeated_every_5_minutes()
    {
        using var swarm = new SimSwarm(143);
        var group = new SimLsdGroup(swarm);
        // All 20 active: a queued torrent may not announce.
        var node = group.AddNode(Lsd with { ActiveSeeds = 30, ActiveLimit = 30 });
        var hashes = new HashSet<Id20>();
        for (int i = 0; i < 20; i++)
        {
            var (torrent, content) = SimSwarm.MakeTorrent(64 * 1024, contentSeed: 100 + i);
            swarm.AddTorrent(node, new AddTorrentParams { Torrent = torrent, SavePath = $"/sim/t{i}" }, content);
            hashes.Add(new Id20(torrent.InfoHashes.V1!.Span));
        }

        var added = swarm.Clock.Elapsed;
        swarm.RunFor(TimeSpan.FromMinutes(11));

        var sent = group.Tap.Received.Select(d => (d.At, Message: LsdCodec.TryDecode(d.Data)!)).ToList();
        Assert.All(sent, s => Assert.NotNull(s.Message));
        Assert.All(sent, s => Assert.InRange(s.Message.InfoHashes.Count, 1, SessionLsd.HashesPerDatagram));
        Assert.All(sent, s => Assert.Equal(node.Session.ListenPort, s.Message.Port));
        for (int i = 1; i < sent.Count; i++)
        {
            // Arrival times: a longer datagram takes a few microseconds more on the link.
            Assert.True(sent[i].At - sent[i - 1].At >= SessionLsd.SendGap - TimeSpan.FromMilliseconds(1), $"datagram {i} at {sent[i].At} follows one at {sent[i - 1].At}");
        }

        // 20 torrents in batches: fewer datagrams than announces by half at least (torrents start at different times).
        Assert.True(sent.Count * 2 <= hashes.Count * 3, $"{sent.Count} datagrams for {hashes.Count * 3} announces");
        foreach (var hash in hashes)
        {
            var times = sent.Where(s => s.Message.InfoHashes.Contains(hash)).Select(s => s.At).ToList();
            Assert.True(times.Count == 3, string.Join(", ", times));
            Assert.True(times[0] - added < TimeSpan.FromSeconds(30), $"first announce at {times[0]}");
            // The schedule is the torrent's; pacing may hold any one send back by a few seconds.
            Assert.InRange(times[1] - times[0], LsdPeerSource.Interval - Slack, LsdPeerSource.Interval + Slack);
            Assert.InRange(times[2] - times[1], LsdPeerSource.Interval - Slack, LsdPeerSource.Interval + Slack);
        }

        Assert.Equal(hashes, sent.SelectMany(s => s.Message.InfoHashes).ToHashSet());
    }

    [Fact]
    public void A_private_torrent_is_never_announced_and_takes_no_lsd_peer_while_a_public_one_does()
    {
        using var swarm = new SimSwarm(144);
        var group = new SimLsdGroup(swarm);
        var node = group.AddNode(Lsd);
        var content = TorrentFiles.Content(256 * 1024, 3);
        var info = TorrentFiles.SingleFileInfo("private.bin", content, 64 * 1024);
        info.Set("private", new BInteger(1));
        var secret = TorrentInfo.Parse(TorrentFiles.Torrent(info));
        var (open, _) = SimSwarm.MakeTorrent(256 * 1024);
        var secretHandle = swarm.AddTorrent(node, new AddTorrentParams { Torrent = secret, SavePath = "/sim/private" });
        var openHandle = swarm.AddTorrent(node, new AddTorrentParams { Torrent = open, SavePath = "/sim/open" });
        swarm.RunFor(TimeSpan.FromMinutes(1));

        var secretHash = new Id20(secret.InfoHashes.V1!.Span);
        var announced = group.Tap.Received.SelectMany(d => LsdCodec.TryDecode(d.Data)!.InfoHashes).ToHashSet();
        Assert.Contains(new Id20(open.InfoHashes.V1!.Span), announced);
        Assert.DoesNotContain(secretHash, announced);

        // A stranger on the network announces both: only the public torrent takes it.
        var stranger = new IPEndPoint(IPAddress.Parse("10.0.9.9"), 7000);
        swarm.Network.Inject(stranger, group.Member(node), LsdCodec.Encode(GroupEndPoint, 7001, [secretHash, new Id20(open.InfoHashes.V1!.Span)], "other"));
        swarm.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal(1, node.Session.Lsd.Received);
        Assert.Empty(swarm.Run(secretHandle.GetPeersAsync()));
        var status = swarm.Run(openHandle.GetStatusAsync());
        Assert.True(status.KnownPeerCount > 0, "the public torrent did not take the stranger");
    }

    [Fact]
    public void Our_own_announce_heard_back_is_ignored()
    {
        using var swarm = new SimSwarm(145);
        var group = new SimLsdGroup(swarm);
        var (torrent, content) = SimSwarm.MakeTorrent(256 * 1024);
        var node = group.AddNode(Lsd);
        swarm.AddTorrent(node, torrent, content);
        swarm.RunFor(TimeSpan.FromMinutes(1));

        Assert.True(node.Session.Lsd.OwnHeard > 0);
        Assert.Equal(0, node.Session.Lsd.Received);
        Assert.Equal(0, swarm.Status(node).KnownPeerCount);
    }

    [Fact]
    public void Hostile_datagrams_are_counted_and_dropped_and_a_good_one_still_works()
    {
        using var swarm = new SimSwarm(146);
        var group = new SimLsdGroup(swarm);
        var (torrent, _) = SimSwarm.MakeTorrent(256 * 1024);
        var node = group.AddNode(Lsd);
        swarm.AddTorrent(node, torrent);
        swarm.RunFor(TimeSpan.FromSeconds(5));
        var from = new IPEndPoint(IPAddress.Parse("10.0.9.9"), 6771);
        var hex = Convert.ToHexString(torrent.InfoHashes.V1!.ToArray());
        string[] bad =
        [
            $"BT-SEARCH * HTTP/1.1\r\nPort: 0\r\nInfohash: {hex}\r\n\r\n",
            $"BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: {hex[..39]}\r\n\r\n",
            "BT-SEARCH * HTTP/1.1\r\n" + string.Concat(Enumerable.Repeat("X: y\r\n", 100)),
            "BT-SEARCH" + new string('\n', 2000),
        ];
        foreach (var text in bad)
        {
            swarm.Network.Inject(from, group.Member(node), Encoding.ASCII.GetBytes(text));
        }

        swarm.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(bad.Length, node.Session.Lsd.Dropped);
        Assert.Equal(0, swarm.Status(node).KnownPeerCount);

        swarm.Network.Inject(from, group.Member(node), Encoding.ASCII.GetBytes($"BT-SEARCH * HTTP/1.1\r\nPort: 6999\r\nInfohash: {hex}\r\n\r\n"));
        Assert.True(swarm.RunUntil(() => swarm.Status(node).KnownPeerCount > 0, TimeSpan.FromSeconds(30)));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void Turning_lsd_off_closes_its_socket_and_turning_it_on_announces_again()
    {
        using var swarm = new SimSwarm(147);
        var group = new SimLsdGroup(swarm);
        var (torrent, content) = SimSwarm.MakeTorrent(256 * 1024);
        var node = group.AddNode(Lsd);
        swarm.AddTorrent(node, torrent, content);
        swarm.RunFor(TimeSpan.FromSeconds(30));
        Assert.True(node.Session.Lsd.IsOpen);
        long before = group.Tap.Count;
        Assert.True(before > 0);

        swarm.Run(node.Session.ApplySettingsAsync(node.Session.Settings with { EnableLsd = false }));
        Assert.False(node.Session.Lsd.IsOpen);
        swarm.RunFor(TimeSpan.FromMinutes(6));
        Assert.Equal(before, group.Tap.Count);

        swarm.Run(node.Session.ApplySettingsAsync(node.Session.Settings with { EnableLsd = true }));
        Assert.True(node.Session.Lsd.IsOpen);
        Assert.True(swarm.RunUntil(() => group.Tap.Count > before, TimeSpan.FromSeconds(5)));
    }
}
