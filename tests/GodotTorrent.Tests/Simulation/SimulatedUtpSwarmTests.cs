using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>Whole sessions over uTP on the simulated network: the transport choice, fallback and PEX, and a swarm on a lossy link.</summary>
public sealed class SimulatedUtpSwarmTests
{
    private static SessionSettings UtpOnly => SessionSettings.Background with { ListenPort = 6881 };

    [Fact]
    public void A_utp_only_swarm_on_a_lossy_link_completes_byte_exact_and_reports_utp()
    {
        using var swarm = new SimSwarm(41);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(15), 2 << 20, Loss: 0.01, Duplicate: 0.005, Jitter: TimeSpan.FromMilliseconds(5));
        var (torrent, content) = SimSwarm.MakeTorrent(3 << 20);
        var seed = swarm.AddNode(UtpOnly);
        swarm.AddTorrent(seed, torrent, content);
        var leechers = new List<SimNode>();
        for (int i = 0; i < 5; i++)
        {
            var leecher = swarm.AddNode(UtpOnly);
            swarm.AddTorrent(leecher, torrent, peers: [seed.EndPoint, .. leechers.Select(l => l.EndPoint)]);
            leechers.Add(leecher);
        }

        Assert.True(swarm.RunUntil(() => leechers.Any(l => l.Torrent!.Status.PiecesDone > 2), TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        var peers = swarm.Run(leechers[0].Torrent!.GetPeersAsync());
        Assert.NotEmpty(peers);
        Assert.All(peers, p => Assert.Equal((PeerTransport.Utp, "bittorrent/utp"), (p.Transport, p.ConnectionType)));

        Assert.True(swarm.RunUntil(() => SimSwarm.AllSeeding(leechers), TimeSpan.FromMinutes(10)), SimulatedSwarmTests.Describe(swarm));
        foreach (var leecher in leechers)
        {
            SimulatedSwarmTests.AssertHolds(swarm, leecher, content);
        }

        var stats = swarm.Run(seed.Session.GetStatisticsAsync());
        Assert.True(stats.UtpConnections >= 5);
        Assert.Equal(stats.IncomingConnections + stats.OutgoingConnections, stats.UtpConnections);
        Assert.Equal(0, swarm.Network.ConnectionsMade);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_default_peer_reaches_a_utp_only_peer_by_falling_back_and_then_dials_utp_first()
    {
        using var swarm = new SimSwarm(42);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20);
        var seed = swarm.AddNode(UtpOnly);
        swarm.AddTorrent(seed, torrent, content);
        var leecher = swarm.AddNode();
        var handle = swarm.AddTorrent(leecher, torrent, peers: [seed.EndPoint]);

        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        // TCP was refused (the seed does not listen on it), uTP carried the data.
        Assert.Contains(swarm.Network.Events, e => e.Contains($"-> {seed.EndPoint} refused", StringComparison.Ordinal));
        var leecherStats = swarm.Run(leecher.Session.GetStatisticsAsync());
        Assert.Equal(1, leecherStats.UtpConnections);
        SimulatedSwarmTests.AssertHolds(swarm, leecher, content);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Theory]
    [InlineData("qBittorrent/4.6.3", PeerTransport.Utp)]
    [InlineData("Godot-Torrent/0.1.0", PeerTransport.Tcp)]
    public void A_peer_whose_client_name_says_utp_is_dialled_over_utp_next_time(string seedClient, PeerTransport expectedAfterRedial)
    {
        using var swarm = new SimSwarm(45);
        var (torrent, content) = SimSwarm.MakeTorrent(2 << 20);
        var seed = swarm.AddNode(SimSwarm.DefaultSettings with { UserAgent = seedClient });
        swarm.AddTorrent(seed, torrent, content);
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { DownloadRateLimit = 300_000 });
        var handle = swarm.AddTorrent(leecher, torrent, peers: [seed.EndPoint]);
        Assert.True(swarm.RunUntil(() => handle.Status.PiecesDone > 0, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        // Nothing known of the peer at the first dial: TCP first.
        Assert.Equal(PeerTransport.Tcp, Assert.Single(swarm.Run(handle.GetPeersAsync())).Transport);

        // The handshake's "v" named the client; the redial after a pause goes by it.
        swarm.Run(handle.PauseAsync());
        swarm.Run(handle.ResumeAsync());
        int done = handle.Status.PiecesDone;
        Assert.True(swarm.RunUntil(() => handle.Status.PiecesDone > done + 1, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        Assert.Equal(expectedAfterRedial, Assert.Single(swarm.Run(handle.GetPeersAsync())).Transport);
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(3)), SimulatedSwarmTests.Describe(swarm));
        SimulatedSwarmTests.AssertHolds(swarm, leecher, content);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void Two_default_peers_use_tcp_and_a_peer_without_outgoing_tcp_reaches_the_same_seed_over_utp()
    {
        using var swarm = new SimSwarm(43);
        var (torrent, content) = SimSwarm.MakeTorrent(2 << 20);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        // Slow enough that the connections are still there when looked at.
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { DownloadRateLimit = 500_000 });
        var handle = swarm.AddTorrent(leecher, torrent, peers: [seed.EndPoint]);
        Assert.True(swarm.RunUntil(() => handle.Status.PiecesDone > 0, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        Assert.Equal(PeerTransport.Tcp, Assert.Single(swarm.Run(handle.GetPeersAsync())).Transport);
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));

        // A default seed accepts uTP too: a peer that may not dial TCP still gets in.
        var third = swarm.AddNode(SimSwarm.DefaultSettings with { EnableOutgoingTcp = false, DownloadRateLimit = 500_000 });
        var thirdHandle = swarm.AddTorrent(third, torrent, peers: [seed.EndPoint]);
        Assert.True(swarm.RunUntil(() => thirdHandle.Status.PiecesDone > 0, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        Assert.All(swarm.Run(thirdHandle.GetPeersAsync()), p => Assert.Equal(PeerTransport.Utp, p.Transport));
        Assert.True(swarm.RunUntil(() => thirdHandle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        Assert.All(swarm.Run(thirdHandle.GetPeersAsync()), p => Assert.Equal(PeerTransport.Utp, p.Transport));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void Rate_limits_hold_over_utp_as_over_tcp()
    {
        using var swarm = new SimSwarm(44);
        var (torrent, content) = SimSwarm.MakeTorrent(2 << 20);
        var seed = swarm.AddNode(UtpOnly with { UploadRateLimit = 200_000 });
        swarm.AddTorrent(seed, torrent, content);
        var leecher = swarm.AddNode(UtpOnly);
        var handle = swarm.AddTorrent(leecher, torrent, peers: [seed.EndPoint]);
        var start = swarm.Clock.Elapsed;
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(5)), SimulatedSwarmTests.Describe(swarm));
        double seconds = (swarm.Clock.Elapsed - start).TotalSeconds;
        // 2 MiB at 200 kB/s is about 10.5 s; the bucket's first burst makes it a little less.
        Assert.InRange(seconds, 8.5, 16);
        Assert.Empty(swarm.Scheduler.Errors);
    }
}
