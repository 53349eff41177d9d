using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Connection-slot exhaustion (issue 11, item 2) on virtual time: strangers that handshake and
/// then say nothing fill a seed's connection limit. A real downloader that arrives after them
/// still gets a slot (the least useful connection makes room), and the silent ones are closed by
/// the silence time-out instead of holding their slots for the two-minute inactivity time-out.
/// </summary>
public sealed class SimulatedSlotFloodTests
{
    private static readonly SessionSettings Defaults = new();

    [Fact]
    public void A_seed_flooded_by_silent_connections_still_serves_a_downloader_that_arrives_after_the_flood()
    {
        using var swarm = new SimSwarm(31);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20, pieceLength: 64 * 1024);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);

        // 20 addresses, 6 connections each: twice the torrent's 60 slots, within the per-address limit.
        var attackers = Enumerable.Range(0, 20).Select(_ => new SimSilentPeer(swarm)).ToList();
        foreach (var attacker in attackers)
        {
            attacker.Flood(seed.EndPoint, torrent, 6);
        }

        Assert.True(swarm.RunUntil(() => attackers.Sum(a => a.Handshaken) == 120, TimeSpan.FromSeconds(2)));
        swarm.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(Defaults.MaxConnectionsPerTorrent, Peers(swarm, seed).Count);
        var floodOver = swarm.Clock.Elapsed;

        var downloader = swarm.AddNode();
        swarm.AddTorrent(downloader, torrent, peers: [seed.EndPoint]);

        // Well before any time-out frees a slot: a silent connection made room for it.
        Assert.True(swarm.RunUntil(() => downloader.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromSeconds(10)), SimulatedSwarmTests.Describe(swarm));
        Assert.True(swarm.Clock.Elapsed - floodOver < Defaults.PeerSilenceTimeout, $"completed {swarm.Clock.Elapsed - floodOver} after the flood");
        SimulatedSwarmTests.AssertHolds(swarm, downloader, content);
        Assert.True(swarm.Run(seed.Session.GetStatisticsAsync()).PeersEvicted >= 1);

        // The silent ones are gone one silence time-out after they connected, long before 120 s.
        swarm.RunFor(Defaults.PeerSilenceTimeout + TimeSpan.FromSeconds(2) - (swarm.Clock.Elapsed - floodOver));
        var attackerAddresses = attackers.Select(a => a.Host.Address).ToHashSet();
        Assert.DoesNotContain(Peers(swarm, seed), p => attackerAddresses.Contains(p.EndPoint.Address));
        Assert.Equal(120, attackers.Sum(a => a.Closed));
        Assert.True(swarm.Clock.Elapsed < Defaults.PeerInactivityTimeout / 2);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void One_address_cannot_take_more_than_its_share_of_a_seeds_slots()
    {
        using var swarm = new SimSwarm(32);
        var (torrent, content) = SimSwarm.MakeTorrent(256 * 1024, pieceLength: 64 * 1024);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);

        var attacker = new SimSilentPeer(swarm);
        attacker.Flood(seed.EndPoint, torrent, 40);
        Assert.True(swarm.RunUntil(() => attacker.Handshaken == 40, TimeSpan.FromSeconds(2)));
        swarm.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(Defaults.MaxConnectionsPerAddress, Peers(swarm, seed).Count(p => p.EndPoint.Address.Equals(attacker.Host.Address)));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void When_the_session_is_full_a_silent_connection_of_another_torrent_makes_room()
    {
        using var swarm = new SimSwarm(33);
        var (flooded, floodedContent) = SimSwarm.MakeTorrent(256 * 1024, pieceLength: 64 * 1024);
        var (wanted, wantedContent) = SimSwarm.MakeTorrent(512 * 1024, pieceLength: 64 * 1024, contentSeed: 8);
        var seed = swarm.AddNode(SimSwarm.DefaultSettings with { MaxConnections = 10 });
        swarm.AddTorrent(seed, flooded, floodedContent);
        seed.Disk.Preload("/sim/wanted", wantedContent);
        swarm.Run(seed.Session.AddTorrentAsync(new AddTorrentParams { Torrent = wanted, SavePath = "/sim/wanted" }));

        var attackers = Enumerable.Range(0, 2).Select(_ => new SimSilentPeer(swarm)).ToList();
        foreach (var attacker in attackers)
        {
            attacker.Flood(seed.EndPoint, flooded, 6);
        }

        Assert.True(swarm.RunUntil(() => attackers.Sum(a => a.Handshaken) == 12, TimeSpan.FromSeconds(2)));
        swarm.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(10, swarm.Run(seed.Session.GetStatisticsAsync()).PeersConnected);
        var floodOver = swarm.Clock.Elapsed;

        // The other torrent has no connection of its own to give up: the flooded one pays.
        var downloader = swarm.AddNode();
        swarm.AddTorrent(downloader, wanted, peers: [seed.EndPoint]);
        Assert.True(swarm.RunUntil(() => downloader.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromSeconds(10)), SimulatedSwarmTests.Describe(swarm));
        Assert.True(swarm.Clock.Elapsed - floodOver < Defaults.PeerSilenceTimeout, $"completed {swarm.Clock.Elapsed - floodOver} after the flood");
        SimulatedSwarmTests.AssertHolds(swarm, downloader, wantedContent);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_connection_that_never_finishes_its_handshake_is_closed_after_the_handshake_timeout()
    {
        using var swarm = new SimSwarm(34);
        var (torrent, content) = SimSwarm.MakeTorrent(256 * 1024, pieceLength: 64 * 1024);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);

        var attacker = new SimSilentPeer(swarm);
        attacker.Flood(seed.EndPoint, torrent, 5, handshake: false);
        Assert.True(swarm.RunUntil(() => attacker.Handshaken == 5, TimeSpan.FromSeconds(1)));
        var connected = swarm.Clock.Elapsed;

        swarm.RunFor(Defaults.HandshakeTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(0, attacker.Closed);
        Assert.True(swarm.RunUntil(() => attacker.Closed == 5, TimeSpan.FromSeconds(2)));
        Assert.True(swarm.Clock.Elapsed - connected < Defaults.ConnectTimeout);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void When_the_pending_pool_is_full_the_oldest_handshake_in_progress_is_dropped()
    {
        using var swarm = new SimSwarm(35);
        var (torrent, content) = SimSwarm.MakeTorrent(256 * 1024, pieceLength: 64 * 1024);
        var seed = swarm.AddNode(SimSwarm.DefaultSettings with { MaxPendingIncoming = 4 });
        swarm.AddTorrent(seed, torrent, content);

        var attacker = new SimSilentPeer(swarm);
        attacker.Flood(seed.EndPoint, torrent, 6, handshake: false);
        Assert.True(swarm.RunUntil(() => attacker.Handshaken == 6, TimeSpan.FromSeconds(1)));

        // Two over the pool's four: dropped at once, long before any time-out.
        Assert.True(swarm.RunUntil(() => attacker.Closed == 2, TimeSpan.FromSeconds(1)));
        swarm.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(2, attacker.Closed);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(60, false)]
    public void Peers_useless_to_both_sides_are_dropped_after_the_useless_timeout_only_when_slots_are_scarce(int limit, bool dropped)
    {
        // Three downloaders with nothing yet: each is of no use to the others (no pieces, no interest).
        using var swarm = new SimSwarm(36);
        var (torrent, _) = SimSwarm.MakeTorrent(256 * 1024, pieceLength: 64 * 1024);
        var hub = swarm.AddNode(SimSwarm.DefaultSettings with { MaxConnectionsPerTorrent = limit });
        swarm.AddTorrent(hub, torrent);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            swarm.AddTorrent(swarm.AddNode(), torrent, peers: [hub.EndPoint]);
        }

        Assert.True(swarm.RunUntil(() => hub.Torrent!.Status.PeerCount == 2, TimeSpan.FromSeconds(5)));
        var connected = swarm.Clock.Elapsed;

        swarm.RunFor(Defaults.PeerUselessTimeout - TimeSpan.FromSeconds(2));
        Assert.Equal(0, swarm.Run(hub.Session.GetStatisticsAsync()).PeersEvicted);
        Assert.Equal(2, Peers(swarm, hub).Count);

        swarm.RunFor(connected + Defaults.PeerUselessTimeout + TimeSpan.FromSeconds(3) - swarm.Clock.Elapsed);
        Assert.Equal(dropped ? 2 : 0, swarm.Run(hub.Session.GetStatisticsAsync()).PeersEvicted);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    private static IReadOnlyList<PeerInfo> Peers(SimSwarm swarm, SimNode node) => swarm.Run(node.Torrent!.GetPeersAsync());
}
