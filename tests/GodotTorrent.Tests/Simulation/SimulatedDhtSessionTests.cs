using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Discovery;
using GodotTorrent.Tests.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// The DHT as the session uses it (issue 14, "in the session"), against a recording fake node: its
/// lifecycle and sockets, every torrent's lookups and their schedule on virtual time, peers it finds
/// reaching the torrent, the BEP 5 port message, saved state and statistics.
/// </summary>
public sealed class SimulatedDhtSessionTests
{
    private static readonly SessionSettings DhtOn = SimSwarm.DefaultSettings with { EnableDht = true };

    [Fact]
    public void A_magnet_with_only_its_info_hash_finds_the_seed_through_the_dht_and_completes()
    {
        using var swarm = new SimSwarm(41);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        var made = new List<FakeDht>();
        var hash = new Id20(torrent.InfoHashes.V1!.Span);
        var leecher = swarm.AddNode(DhtOn, o => o with { DhtFactory = FakeDht.Factory(made, d => d.Swarms[hash] = [seed.EndPoint]) });
        var magnet = MagnetLink.Parse("magnet:?xt=urn:btih:" + torrent.InfoHashes.V1!.ToHex());
        var handle = swarm.AddTorrent(leecher, new AddTorrentParams { Magnet = magnet, SavePath = "" });

        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        Assert.Equal(content, swarm.ReadFile(leecher, handle.TorrentInfo!.Files[0]));
        var dht = Assert.Single(made);
        var first = dht.Lookups[0];
        Assert.Equal(hash, first.InfoHash);
        Assert.Equal(new DhtAnnounce(leecher.EndPoint.Port, ImpliedPort: false, Seed: false), first.Announce);
        // The node shares uTP's listening socket.
        var socket = Assert.Single(dht.Attached);
        Assert.Equal(leecher.EndPoint, socket.LocalEndPoint);
        Assert.Contains(socket, leecher.Session.Utp.ListeningSockets);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_torrent_looks_up_at_start_then_every_announce_interval_with_jitter_and_says_it_seeds()
    {
        using var swarm = new SimSwarm(42);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20);
        var made = new List<FakeDht>();
        var seed = swarm.AddNode(DhtOn, o => o with { DhtFactory = FakeDht.Factory(made) });
        swarm.AddTorrent(seed, torrent, content);
        Assert.True(swarm.RunUntil(() => seed.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)));
        var dht = Assert.Single(made);
        var start = swarm.Clock.GetUtcNow();

        swarm.RunFor(TimeSpan.FromMinutes(14));
        int before = dht.Lookups.Count;
        swarm.RunFor(TimeSpan.FromMinutes(3));
        var lookups = dht.Lookups;
        Assert.Equal(before + 1, lookups.Count);
        var last = lookups[^1];
        var gap = last.At - lookups[^2].At;
        Assert.InRange(gap, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(16.5));
        Assert.True(last.At > start);
        Assert.True(last.Announce!.Seed);
        Assert.Equal(seed.EndPoint.Port, last.Announce.Port);
    }

    [Fact]
    public void A_magnet_without_peers_looks_up_about_every_minute()
    {
        using var swarm = new SimSwarm(43);
        var (torrent, _) = SimSwarm.MakeTorrent(1 << 20);
        var made = new List<FakeDht>();
        var node = swarm.AddNode(DhtOn, o => o with { DhtFactory = FakeDht.Factory(made) });
        swarm.AddTorrent(node, new AddTorrentParams { Magnet = MagnetLink.Create(torrent.InfoHashes, "x"), SavePath = "" });

        swarm.RunFor(TimeSpan.FromMinutes(10));
        int lookups = Assert.Single(made).Lookups.Count;
        Assert.InRange(lookups, 9, 11);
    }

    [Fact]
    public void Removing_a_torrent_cancels_its_lookup_and_ends_its_schedule()
    {
        using var swarm = new SimSwarm(54);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20);
        var made = new List<FakeDht>();
        var node = swarm.AddNode(DhtOn, o => o with { DhtFactory = FakeDht.Factory(made) });
        var handle = swarm.AddTorrent(node, torrent, content);
        swarm.RunFor(TimeSpan.FromMinutes(1));
        var dht = Assert.Single(made);
        var lookup = Assert.Single(dht.Lookups);
        Assert.False(lookup.Cancelled);

        swarm.Run(node.Session.RemoveTorrentAsync(handle));
        Assert.True(lookup.Cancelled);
        swarm.RunFor(TimeSpan.FromMinutes(40));
        Assert.Single(dht.Lookups);
    }

    [Fact]
    public void A_private_torrent_never_asks_the_dht()
    {
        using var swarm = new SimSwarm(44);
        var content = TorrentFiles.Content(1 << 20, 3);
        var info = TorrentFiles.SingleFileInfo("private.bin", content, 256 * 1024);
        info.Set("private", new BInteger(1));
        var privateTorrent = TorrentInfo.Parse(TorrentFiles.Torrent(info));
        var (publicTorrent, _) = SimSwarm.MakeTorrent(1 << 20);
        var made = new List<FakeDht>();
        var node = swarm.AddNode(DhtOn, o => o with { DhtFactory = FakeDht.Factory(made) });
        swarm.AddTorrent(node, new AddTorrentParams { Torrent = privateTorrent, SavePath = "/sim/private" });
        swarm.AddTorrent(node, new AddTorrentParams { Torrent = publicTorrent, SavePath = "/sim/public" });

        swarm.RunFor(TimeSpan.FromMinutes(20));
        var dht = Assert.Single(made);
        Assert.Contains(dht.Lookups, l => l.InfoHash == new Id20(publicTorrent.InfoHashes.V1!.Span));
        Assert.DoesNotContain(dht.Lookups, l => l.InfoHash == new Id20(privateTorrent.InfoHashes.V1!.Span));
    }

    [Fact]
    public async Task A_hybrid_torrent_looks_up_both_hashes_the_v2_one_truncated()
    {
        var content = await SimContent.CreateAsync("pack", [("a.bin", 100_000)], TorrentVersion.Hybrid);
        using var swarm = new SimSwarm(45);
        var made = new List<FakeDht>();
        var node = swarm.AddNode(DhtOn, o => o with { DhtFactory = FakeDht.Factory(made) });
        swarm.AddTorrent(node, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" });

        swarm.RunFor(TimeSpan.FromSeconds(30));
        var hashes = Assert.Single(made).Lookups.Select(l => l.InfoHash).ToList();
        Assert.Equal([new Id20(content.Torrent.InfoHashes.V1!.Span), new Id20(content.Torrent.InfoHashes.V2!.Truncated)], hashes);
    }

    [Fact]
    public void Turning_the_dht_on_and_off_at_run_time_makes_and_ends_the_node()
    {
        using var swarm = new SimSwarm(46);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20);
        var made = new List<FakeDht>();
        var node = swarm.AddNode(configure: o => o with { DhtFactory = FakeDht.Factory(made) });
        swarm.AddTorrent(node, torrent, content);
        swarm.RunFor(TimeSpan.FromMinutes(1));
        Assert.Empty(made);
        Assert.False(node.Session.Negotiator.Offered.Dht);

        swarm.Run(node.Session.ApplySettingsAsync(node.Session.Settings with { EnableDht = true, DhtBootstrapNodes = ["10.9.0.1:6881", "[fd00::1]:6882"] }));
        var dht = Assert.Single(made);
        Assert.True(node.Session.Negotiator.Offered.Dht);
        Assert.Single(dht.Attached);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.9.0.1"), 6881), new IPEndPoint(IPAddress.Parse("fd00::1"), 6882)], dht.Bootstraps[^1]);
        swarm.RunFor(TimeSpan.FromSeconds(1));
        Assert.Single(dht.Lookups);

        swarm.Run(node.Session.ApplySettingsAsync(node.Session.Settings with { DhtAlpha = 5, DhtReadOnly = true }));
        Assert.Equal(new DhtOptions(ReadOnly: true, UploadRateLimit: 8000, Alpha: 5, EnforceNodeId: false), Assert.Single(dht.Applied));

        swarm.Run(node.Session.ApplySettingsAsync(node.Session.Settings with { EnableDht = false }));
        Assert.True(dht.Disposed);
        Assert.Equal(dht.Attached, dht.Detached);
        Assert.True(dht.Lookups[0].Cancelled);
        swarm.RunFor(TimeSpan.FromMinutes(20));
        Assert.Single(dht.Lookups);
        Assert.Single(made);
    }

    [Fact]
    public void Without_utp_the_dht_binds_the_listen_port_alone_and_moves_when_the_port_changes()
    {
        using var swarm = new SimSwarm(47);
        var made = new List<FakeDht>();
        var settings = DhtOn with { EnableIncomingUtp = false, EnableOutgoingUtp = false };
        var node = swarm.AddNode(settings, o => o with { DhtFactory = FakeDht.Factory(made) });
        var dht = Assert.Single(made);
        var first = Assert.Single(dht.Attached);
        Assert.Equal(node.EndPoint, first.LocalEndPoint);
        Assert.Empty(node.Session.Utp.ListeningSockets);

        swarm.Run(node.Session.ApplySettingsAsync(node.Session.Settings with { ListenPort = 7000 }));
        Assert.Equal([first], dht.Detached);
        Assert.Equal(2, dht.Attached.Count);
        Assert.Equal(7000, dht.Attached[1].LocalEndPoint.Port);
        Assert.Single(made);
    }

    [Fact]
    public void Turning_utp_off_at_run_time_moves_the_dht_to_a_socket_of_its_own_on_the_same_port()
    {
        using var swarm = new SimSwarm(53);
        var made = new List<FakeDht>();
        var node = swarm.AddNode(DhtOn, o => o with { DhtFactory = FakeDht.Factory(made) });
        var dht = Assert.Single(made);
        var shared = Assert.Single(dht.Attached);
        Assert.Contains(shared, node.Session.Utp.ListeningSockets);

        swarm.Run(node.Session.ApplySettingsAsync(node.Session.Settings with { EnableIncomingUtp = false, EnableOutgoingUtp = false }));
        Assert.Equal([shared], dht.Detached);
        var own = dht.Attached[^1];
        Assert.NotSame(shared, own);
        Assert.Equal(node.EndPoint, own.LocalEndPoint);
        Assert.Empty(node.Session.Utp.ListeningSockets);
        Assert.Equal(node.EndPoint.Port, node.Session.Dht.Port);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Peers_with_the_dht_bit_trade_port_messages_and_each_node_learns_the_other(bool leecherDht)
    {
        using var swarm = new SimSwarm(48);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20);
        var seedNodes = new List<FakeDht>();
        var leecherNodes = new List<FakeDht>();
        var seed = swarm.AddNode(DhtOn, o => o with { DhtFactory = FakeDht.Factory(seedNodes) });
        swarm.AddTorrent(seed, torrent, content);
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { EnableDht = leecherDht }, o => o with { DhtFactory = FakeDht.Factory(leecherNodes) });
        swarm.AddTorrent(leecher, torrent, peers: [seed.EndPoint]);

        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)));
        if (leecherDht)
        {
            Assert.Equal([new IPEndPoint(leecher.Host.Address, leecher.EndPoint.Port)], Assert.Single(seedNodes).AddedNodes);
            Assert.Equal([seed.EndPoint], Assert.Single(leecherNodes).AddedNodes);
        }
        else
        {
            // Only one side set the bit: no port message either way.
            Assert.Empty(Assert.Single(seedNodes).AddedNodes);
            Assert.Empty(leecherNodes);
        }

        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void Saved_state_carries_the_dht_entry_and_a_loaded_session_hands_it_to_its_node()
    {
        using var swarm = new SimSwarm(49);
        var made = new List<FakeDht>();
        var saved = new BDictionary();
        saved.Set("id", new BString("twenty-byte-node-id!"u8.ToArray()));
        var settings = DhtOn with { DhtAlpha = 4, DhtBootstrapNodes = ["10.9.0.1:6881"] };
        var node = swarm.AddNode(settings, o => o with { DhtFactory = FakeDht.Factory(made, d => d.State = saved) });

        var bytes = swarm.Run(node.Session.SaveStateAsync());
        var root = (BDictionary)BencodeReader.Decode(bytes);
        Assert.Equal("twenty-byte-node-id!", root.Get<BDictionary>("dht")!.Get<BString>("id")!.Text);
        swarm.Run(node.Session.StopAsync());
        Assert.True(made[0].Disposed);

        var loaded = swarm.Run(TorrentSession.LoadStateAsync(bytes, node.Session.Options));
        Assert.Equal(2, made.Count);
        Assert.Equal("twenty-byte-node-id!", made[1].Args.SavedState!.Get<BString>("id")!.Text);
        Assert.Equal(4, made[1].Args.Options.Alpha);
        Assert.True(loaded.Settings.EnableDht);
        Assert.Equal(["10.9.0.1:6881"], loaded.Settings.DhtBootstrapNodes);
        swarm.Run(loaded.DisposeAsync().AsTask());
    }

    [Fact]
    public void Statistics_report_the_node_counters()
    {
        using var swarm = new SimSwarm(50);
        var made = new List<FakeDht>();
        var node = swarm.AddNode(DhtOn, o => o with
        {
            DhtFactory = FakeDht.Factory(made, d => d.Statistics = new DhtStatistics(5, 2, 1, 9, 40, 50, 1234, 5678, 3, 0)),
        });

        var stats = swarm.Run(node.Session.GetStatisticsAsync());
        Assert.Equal((7, 9L, 1234L, 5678L), (stats.DhtNodes, stats.DhtLookups, stats.DhtBytesIn, stats.DhtBytesOut));
        Assert.Equal(7L, stats.ToDictionary()["dht_nodes"]);
    }

    [Fact]
    public void A_node_that_cannot_start_is_reported_and_the_session_runs_on()
    {
        using var swarm = new SimSwarm(51);
        var node = swarm.AddNode(DhtOn, o => o with { DhtFactory = _ => throw new NotSupportedException("no node here") });

        var error = Assert.Single(node.Session.PopAlerts().OfType<DhtErrorAlert>());
        Assert.Equal(ErrorCode.DhtUnavailable, error.Error);
        Assert.Contains("no node here", error.Reason, StringComparison.Ordinal);
        Assert.Null(node.Session.Dht.Node);
        Assert.True(node.Session.IsRunning);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_magnet_with_no_way_to_find_peers_says_so_once(bool dht)
    {
        using var swarm = new SimSwarm(52);
        var (torrent, _) = SimSwarm.MakeTorrent(1 << 20);
        var node = swarm.AddNode(SimSwarm.DefaultSettings with { EnableDht = dht, AlertMask = AlertCategory.All }, o => o with { DhtFactory = FakeDht.Factory([]) });
        swarm.AddTorrent(node, new AddTorrentParams { Magnet = MagnetLink.Parse("magnet:?xt=urn:btih:" + torrent.InfoHashes.V1!.ToHex()), SavePath = "" });

        swarm.RunFor(TimeSpan.FromMinutes(2));
        var warnings = node.Session.PopAlerts().OfType<PerformanceWarningAlert>().Where(w => w.Warning.Contains("DHT is off", StringComparison.Ordinal)).ToList();
        Assert.Equal(dht ? 0 : 1, warnings.Count);
    }
}
