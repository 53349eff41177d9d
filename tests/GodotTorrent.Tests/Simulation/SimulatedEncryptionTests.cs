using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Our own sessions with every pair of encryption policies (issue 12): a downloader dials a seed;
/// the pair connects at the expected level or is refused with the reason in an alert.
/// </summary>
public sealed class SimulatedEncryptionTests
{
    public static TheoryData<EncryptionPolicy, EncryptionPolicy, PeerEncryption?> Policies => new()
    {
        // downloader's outgoing policy, seed's incoming policy, expected level (null: refused)
        { EncryptionPolicy.Disabled, EncryptionPolicy.Disabled, PeerEncryption.None },
        { EncryptionPolicy.Disabled, EncryptionPolicy.Enabled, PeerEncryption.None },
        { EncryptionPolicy.Disabled, EncryptionPolicy.Forced, null },
        { EncryptionPolicy.Enabled, EncryptionPolicy.Disabled, PeerEncryption.None },
        { EncryptionPolicy.Enabled, EncryptionPolicy.Enabled, PeerEncryption.Plaintext },
        { EncryptionPolicy.Enabled, EncryptionPolicy.Forced, PeerEncryption.Plaintext },
        { EncryptionPolicy.Forced, EncryptionPolicy.Disabled, null },
        { EncryptionPolicy.Forced, EncryptionPolicy.Enabled, PeerEncryption.Plaintext },
        { EncryptionPolicy.Forced, EncryptionPolicy.Forced, PeerEncryption.Plaintext },
    };

    public static TheoryData<EncryptionLevel, bool, EncryptionLevel, bool, PeerEncryption?> Levels => new()
    {
        // downloader's level and prefer-RC4, seed's level and prefer-RC4, expected (null: no common method);
        // the side that answers the MSE handshake chooses, so only the seed's preference counts (as in libtorrent)
        { EncryptionLevel.Both, false, EncryptionLevel.Both, false, PeerEncryption.Plaintext },
        { EncryptionLevel.Both, true, EncryptionLevel.Both, false, PeerEncryption.Plaintext },
        { EncryptionLevel.Both, false, EncryptionLevel.Both, true, PeerEncryption.Rc4 },
        { EncryptionLevel.Rc4, false, EncryptionLevel.Both, false, PeerEncryption.Rc4 },
        { EncryptionLevel.Both, false, EncryptionLevel.Rc4, false, PeerEncryption.Rc4 },
        { EncryptionLevel.Plaintext, false, EncryptionLevel.Both, true, PeerEncryption.Plaintext },
        { EncryptionLevel.Plaintext, false, EncryptionLevel.Rc4, false, null },
        { EncryptionLevel.Rc4, false, EncryptionLevel.Plaintext, false, null },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void EachPairOfPoliciesConnectsAsExpectedOrIsRefusedWithAReason(EncryptionPolicy outgoing, EncryptionPolicy incoming, PeerEncryption? expected)
    {
        var seedSettings = SimSwarm.DefaultSettings with { IncomingEncryption = incoming, OutgoingEncryption = incoming, AlertMask = AlertCategory.All };
        var leecherSettings = SimSwarm.DefaultSettings with { OutgoingEncryption = outgoing, IncomingEncryption = outgoing, AlertMask = AlertCategory.All };
        Transfer(41, leecherSettings, seedSettings, expected);
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void TheLevelIsWhatBothSidesAllowAndPreferRc4BreaksTheTie(EncryptionLevel leecherLevel, bool leecherPrefersRc4, EncryptionLevel seedLevel, bool seedPrefersRc4, PeerEncryption? expected)
    {
        var seedSettings = SimSwarm.DefaultSettings with
        {
            IncomingEncryption = EncryptionPolicy.Forced, AllowedEncryptionLevel = seedLevel, PreferRc4 = seedPrefersRc4, AlertMask = AlertCategory.All,
        };
        var leecherSettings = SimSwarm.DefaultSettings with
        {
            OutgoingEncryption = EncryptionPolicy.Forced, AllowedEncryptionLevel = leecherLevel, PreferRc4 = leecherPrefersRc4, AlertMask = AlertCategory.All,
        };
        Transfer(42, leecherSettings, seedSettings, expected);
    }

    [Fact]
    public void AnRc4SwarmOfThreeMovesEveryByteAndCountsItsEncryptedConnections()
    {
        using var swarm = new SimSwarm(43);
        var settings = SimSwarm.DefaultSettings with
        {
            IncomingEncryption = EncryptionPolicy.Forced, OutgoingEncryption = EncryptionPolicy.Forced, AllowedEncryptionLevel = EncryptionLevel.Rc4,
        };
        var content = SimContent.Create("pack", [("a.bin", 1_500_000), ("b/c.bin", 700_000)]);
        var seed = swarm.AddNode(settings);
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        var first = swarm.AddNode(settings);
        var second = swarm.AddNode(settings);
        swarm.AddTorrent(first, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [seed.EndPoint] });
        swarm.AddTorrent(second, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [seed.EndPoint, first.EndPoint] });

        Assert.True(swarm.RunUntil(() => SimSwarm.AllSeeding([first, second]), TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        foreach (var node in new[] { first, second })
        {
            foreach (var file in content.Torrent.Files)
            {
                Assert.Equal(content.Bytes(file), swarm.ReadFile(node, file));
            }
        }

        var stats = swarm.Run(seed.Session.GetStatisticsAsync());
        Assert.True(stats.EncryptedConnections >= 2, $"the seed counted {stats.EncryptedConnections} encrypted connections");
        Assert.Equal(stats.IncomingConnections + stats.OutgoingConnections, stats.EncryptedConnections);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void Five_hundred_stalled_MSE_handshakes_leave_the_seed_serving_a_good_peer_with_pending_work_bounded()
    {
        using var swarm = new SimSwarm(44);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20, pieceLength: 64 * 1024);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);

        // 20 addresses, 25 connections each, every one sends a public key and then nothing.
        var attackers = Enumerable.Range(0, 20).Select(_ => new SimSilentPeer(swarm)).ToList();
        foreach (var attacker in attackers)
        {
            attacker.FloodWithMseKeys(seed.EndPoint, 25);
        }

        Assert.True(swarm.RunUntil(() => attackers.Sum(a => a.Handshaken) == 500, TimeSpan.FromSeconds(2)));
        swarm.RunFor(TimeSpan.FromMilliseconds(500));
        int pending = swarm.Run(seed.Session.Loop.InvokeAsync(() => seed.Session.PendingIncoming));
        Assert.InRange(pending, 1, new SessionSettings().MaxPendingIncoming);

        var downloader = swarm.AddNode(SimSwarm.DefaultSettings with { OutgoingEncryption = EncryptionPolicy.Forced });
        swarm.AddTorrent(downloader, torrent, peers: [seed.EndPoint]);
        Assert.True(swarm.RunUntil(() => downloader.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromSeconds(10)), SimulatedSwarmTests.Describe(swarm));
        SimulatedSwarmTests.AssertHolds(swarm, downloader, content);
        Assert.Equal(PeerEncryption.Plaintext, Assert.Single(swarm.Run(seed.Torrent!.GetPeersAsync())).Encryption);

        // Every stalled handshake is closed by the handshake time-out (or made room for another).
        swarm.RunFor(new SessionSettings().HandshakeTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(500, attackers.Sum(a => a.Closed));
        Assert.Equal(0, swarm.Run(seed.Session.Loop.InvokeAsync(() => seed.Session.PendingIncoming)));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Theory]
    [InlineData(TorrentVersion.V1, true)]
    [InlineData(TorrentVersion.Hybrid, true)]
    [InlineData(TorrentVersion.V2, false)]
    public async Task AnEncryptedOnlySeedIsFoundByItsWireHashForMagnetsStillFetchingMetadataAndForV2(TorrentVersion version, bool magnet)
    {
        // v2-only content stays within one piece per file: a v2 magnet cannot fetch piece layers yet (step 14).
        var content = await SimContent.CreateAsync("pack", [("a.bin", 700_000), ("b/c.bin", 300_000)], version, pieceLength: version == TorrentVersion.V2 ? 1 << 20 : 32768);
        using var swarm = new SimSwarm(45);
        var forced = SimSwarm.DefaultSettings with
        {
            IncomingEncryption = EncryptionPolicy.Forced, OutgoingEncryption = EncryptionPolicy.Forced, AllowedEncryptionLevel = EncryptionLevel.Rc4,
        };
        var seed = swarm.AddNode(forced);
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", UploadRateLimit = 300_000 }, content.PieceSpace);
        var leecher = swarm.AddNode(forced);
        var handle = swarm.AddTorrent(leecher, magnet
            ? new AddTorrentParams { Magnet = MagnetLink.Create(content.Torrent.InfoHashes, "pack", peers: [seed.EndPoint]), SavePath = "" }
            : new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [seed.EndPoint] });

        Assert.True(swarm.RunUntil(() => handle.Status.PeerCount > 0, TimeSpan.FromSeconds(30)), SimulatedSwarmTests.Describe(swarm));
        Assert.Equal(PeerEncryption.Rc4, Assert.Single(swarm.Run(handle.GetPeersAsync())).Encryption);
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        foreach (var file in content.Torrent.Files.Where(f => !f.IsPad))
        {
            Assert.Equal(content.Bytes(file), swarm.ReadFile(leecher, file));
        }

        Assert.Empty(swarm.Scheduler.Errors);
    }

    private static void Transfer(int seedNumber, SessionSettings leecherSettings, SessionSettings seedSettings, PeerEncryption? expected)
    {
        using var swarm = new SimSwarm(seedNumber);
        var content = SimContent.Create("pack", [("a.bin", 600_000), ("b.bin", 100_000)]);
        var seed = swarm.AddNode(seedSettings);

        // Slow enough that both sides' once-a-second snapshots see the connection before the end.
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", UploadRateLimit = 200_000 }, content.PieceSpace);
        var leecher = swarm.AddNode(leecherSettings);
        var download = swarm.AddTorrent(leecher, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [seed.EndPoint] });

        if (expected is { } level)
        {
            Assert.True(swarm.RunUntil(() => download.Status.PeerCount > 0 && seed.Torrent!.Status.PeerCount > 0, TimeSpan.FromSeconds(30)), SimulatedSwarmTests.Describe(swarm));
            var peer = Assert.Single(swarm.Run(download.GetPeersAsync()));
            Assert.Equal(level, peer.Encryption);
            var seen = Assert.Single(swarm.Run(seed.Torrent!.GetPeersAsync()));
            Assert.Equal(level, seen.Encryption);
            Assert.True(swarm.RunUntil(() => download.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
            foreach (var file in content.Torrent.Files)
            {
                Assert.Equal(content.Bytes(file), swarm.ReadFile(leecher, file));
            }

            long encrypted = swarm.Run(leecher.Session.GetStatisticsAsync()).EncryptedConnections;
            Assert.Equal(level == PeerEncryption.None ? 0 : 1, encrypted);
        }
        else
        {
            // Refused: the downloader keeps dialling with back-off; it never connects and both sides say why.
            var failures = new List<HandshakeFailedAlert>();
            Assert.True(
                swarm.RunUntil(() => { Collect(leecher, seed, failures); return failures.Any(f => !f.Incoming) && failures.Any(f => f.Incoming) || failures.Count > 8; }, TimeSpan.FromSeconds(30)),
                "no handshake_failed alerts: " + SimulatedSwarmTests.Describe(swarm));
            swarm.RunFor(TimeSpan.FromSeconds(10));
            Collect(leecher, seed, failures);
            Assert.Equal(0, download.Status.PeerCount);
            Assert.Equal(0, download.Status.TotalPayloadDownload);
            Assert.Contains(failures, f => !f.Incoming && f.Handle is not null && f.Reason.Length > 0
                && f.Error is ErrorCode.EncryptionNotSupported or ErrorCode.EncryptionRequired or ErrorCode.EncryptionHandshakeFailed or ErrorCode.ConnectionClosed or ErrorCode.InvalidHandshake);
            Assert.Contains(failures, f => f.Incoming && f.Error is ErrorCode.EncryptionRequired or ErrorCode.EncryptionHandshakeFailed && f.Reason.Length > 0);
        }

        Assert.Empty(swarm.Scheduler.Errors);
    }

    private static void Collect(SimNode leecher, SimNode seed, List<HandshakeFailedAlert> into)
    {
        into.AddRange(leecher.Session.PopAlerts().OfType<HandshakeFailedAlert>());
        into.AddRange(seed.Session.PopAlerts().OfType<HandshakeFailedAlert>());
    }
}
