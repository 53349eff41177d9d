using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>Whole swarms on the simulated network: completion, trading between downloaders, determinism.</summary>
public sealed class SimulatedSwarmTests
{
    [Fact]
    public void ThreeNodesDownloadFromOneSeed()
    {
        using var swarm = new SimSwarm(3);
        var (torrent, content) = SimSwarm.MakeTorrent(2 << 20);
        var leechers = swarm.StartSwarm(torrent, content, downloaders: 3);

        Assert.True(swarm.RunUntil(() => SimSwarm.AllSeeding(leechers), TimeSpan.FromMinutes(5)), Describe(swarm));
        foreach (var leecher in leechers)
        {
            AssertHolds(swarm, leecher, content);
        }

        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void AHundredSessionsAllCompleteAndTradeAmongThemselves()
    {
        using var swarm = new SimSwarm(100);
        // A home line each: 4 MiB/s up shared by all of a host's connections, so the seed alone would need
        // 99 x 16 MiB / 4 MiB/s = 6.6 virtual minutes; downloaders must serve each other.
        swarm.Network.DefaultUplink = 4L << 20;
        swarm.Network.DefaultDownlink = 16L << 20;
        var (torrent, content) = SimSwarm.MakeTorrent(16 << 20);
        var leechers = swarm.StartSwarm(torrent, content, downloaders: 99);
        var started = swarm.Clock.Elapsed;

        Assert.True(swarm.RunUntil(() => SimSwarm.AllSeeding(leechers), TimeSpan.FromHours(1)), Describe(swarm));
        foreach (var leecher in leechers)
        {
            AssertHolds(swarm, leecher, content);
        }

        // The seed alone never downloads, so bytes a downloader uploaded went to another downloader.
        Assert.Contains(leechers, l => swarm.Status(l).TotalPayloadUpload > 0);
        long received = leechers.Sum(l => swarm.Status(l).TotalPayloadDownload);
        Assert.True(swarm.Status(swarm.Nodes[0]).TotalPayloadUpload < received / 4, "the seed served most of the swarm");
        Assert.True(swarm.Clock.Elapsed - started < TimeSpan.FromMinutes(6), $"took {swarm.Clock.Elapsed - started}: no faster than the seed alone");
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void TheSameSeedGivesTheSameTrace()
    {
        var first = RunSmallSwarm(seed: 42);
        var second = RunSmallSwarm(seed: 42);

        Assert.Contains(first, line => line.Contains("torrent_finished", StringComparison.Ordinal));
        Assert.Equal(first, second);
    }

    [Fact]
    public void APartitionStallsTheDownloadUntilItHeals()
    {
        using var swarm = new SimSwarm(5);
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        swarm.Network.Partition([seed.Host.Address]);
        var leechers = Enumerable.Range(0, 2).Select(_ => swarm.AddNode()).ToList();
        foreach (var leecher in leechers)
        {
            swarm.AddTorrent(leecher, torrent, peers: [seed.EndPoint]);
        }

        swarm.RunFor(TimeSpan.FromMinutes(3));
        Assert.All(leechers, l => Assert.Equal(0, swarm.Status(l).TotalDone));

        swarm.Network.Heal();
        // Connection attempts backed off while cut off; the next one after the heal gets through.
        Assert.True(swarm.RunUntil(() => SimSwarm.AllSeeding(leechers), TimeSpan.FromMinutes(30)), Describe(swarm));
        AssertHolds(swarm, leechers[0], content);
    }

    [Fact]
    public void AFullDiskStopsTheTorrentAndItCompletesOnceSpaceIsFreed()
    {
        using var swarm = new SimSwarm(6);
        var (torrent, content) = SimSwarm.MakeTorrent(4 << 20);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        var leecher = swarm.AddNode();
        leecher.Disk.Capacity = 1 << 20;
        swarm.AddTorrent(leecher, torrent, peers: [seed.EndPoint]);

        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.State == TorrentState.Error, TimeSpan.FromMinutes(5)), Describe(swarm));
        Assert.Equal(ErrorCode.DiskFull, swarm.Status(leecher).Error);
        Assert.True(leecher.Disk.FailedWrites > 0);

        leecher.Disk.Capacity = long.MaxValue;
        swarm.Run(leecher.Torrent!.ResumeAsync());
        Assert.True(swarm.RunUntil(() => leecher.Torrent.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(10)), Describe(swarm));
        AssertHolds(swarm, leecher, content);
    }

    [Fact]
    public void ADownloadRateLimitHoldsOnVirtualTime()
    {
        using var swarm = new SimSwarm(7);
        var (torrent, content) = SimSwarm.MakeTorrent(2 << 20);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { DownloadRateLimit = 256 * 1024 });
        swarm.AddTorrent(leecher, torrent, peers: [seed.EndPoint]);
        var start = swarm.Clock.Elapsed;

        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(5)), Describe(swarm));
        var took = swarm.Clock.Elapsed - start;
        // 2 MiB at 256 KiB/s is 8 s; the bucket's first burst may save about a second. Unlimited, the link moves it in well under one.
        Assert.InRange(took, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void ConnectAttemptsToADeadPeerBackOff()
    {
        using var swarm = new SimSwarm(8);
        var (torrent, _) = SimSwarm.MakeTorrent(256 * 1024);
        // TCP alone: the uTP fallback after the first refusal would stretch the first gap by its connect time-out.
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { EnableOutgoingUtp = false });
        var dead = new IPEndPoint(IPAddress.Parse("10.9.9.9"), 6881);
        swarm.AddTorrent(leecher, torrent, peers: [dead]);

        swarm.RunFor(TimeSpan.FromMinutes(3));
        var attempts = swarm.Network.Events.Where(e => e.Contains("10.9.9.9", StringComparison.Ordinal)).Select(e => TimeSpan.Parse(e.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(attempts.Count >= 4, string.Join("\n", swarm.Network.Events));
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => b - a).ToList();
        // 5 s, 10 s, 20 s ...: every gap at least as long as the one before, and growing overall.
        Assert.All(gaps.Zip(gaps.Skip(1)), g => Assert.True(g.Second >= g.First - TimeSpan.FromSeconds(1), $"{g.First} then {g.Second}"));
        Assert.True(gaps[^1] >= gaps[0] * 4);
    }

    internal static string Describe(SimSwarm swarm) =>
        $"virtual {swarm.Clock.Elapsed}, {swarm.Scheduler.Steps} steps, {swarm.Network.ConnectionsMade} connections, errors: {string.Join("; ", swarm.Scheduler.Errors.Take(2))}\n"
        + string.Join("\n", swarm.Nodes.Where(n => n.Torrent is not null).Take(10).Select(n => $"{n}: {n.Torrent!.Status.State} {n.Torrent.Status.TotalDone} peers {n.Torrent.Status.PeerCount}"))
        + "\n" + string.Join("\n", swarm.Log.Lines.TakeLast(20));

    internal static void AssertHolds(SimSwarm swarm, SimNode node, byte[] content, string? savePath = null)
    {
        var storage = node.Disk[savePath ?? $"/sim/{node}"];
        var layout = new GodotTorrent.Storage.PieceLayout(storage.Torrent);
        var buffer = new byte[layout.PieceLength];
        for (int piece = 0; piece < layout.PieceCount; piece++)
        {
            int size = layout.GetPieceSize(piece);
            swarm.Run(storage.ReadAsync(piece, 0, buffer.AsMemory(0, size)).AsTask());
            Assert.True(buffer.AsSpan(0, size).SequenceEqual(content.AsSpan(piece * layout.PieceLength, size)), $"{node} piece {piece} differs");
        }
    }

    private static List<string> RunSmallSwarm(int seed)
    {
        using var swarm = new SimSwarm(seed);
        var (torrent, content) = SimSwarm.MakeTorrent(2 << 20);
        var leechers = swarm.StartSwarm(torrent, content, downloaders: 8);
        Assert.True(swarm.RunUntil(() => SimSwarm.AllSeeding(leechers), TimeSpan.FromMinutes(10)), Describe(swarm));
        swarm.RunFor(TimeSpan.FromSeconds(30));
        return [.. swarm.Trace];
    }
}
