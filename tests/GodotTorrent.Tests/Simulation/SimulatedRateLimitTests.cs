using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Download and upload limits hold on average over a window of virtual seconds; 0 means
/// unlimited. (These ran on real sockets and the real clock before the simulation existed.)
/// </summary>
public sealed class SimulatedRateLimitTests
{
    private const long Limit = 512 * 1024;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(8);

    [Fact]
    public void ATorrentDownloadLimitHoldsAndZeroLiftsIt()
    {
        using var swarm = new SimSwarm(11);
        var (seed, leecher, content) = SetUp(swarm);

        swarm.Run(leecher.Torrent!.SetRateLimitsAsync(uploadRateLimit: 0, downloadRateLimit: Limit));
        Start(swarm, seed, leecher);

        double rate = Measure(swarm, () => swarm.Status(leecher).TotalPayloadDownload);
        Assert.False(swarm.Status(leecher).IsFinished, "the transfer ended inside the window");
        AssertNear(rate, Limit, "download");

        // 0 = unlimited: the rest (several MiB) arrives in a fraction of the time the limit would take.
        var lifted = swarm.Clock.Elapsed;
        swarm.Run(leecher.Torrent.SetRateLimitsAsync(0, 0));
        Assert.True(swarm.RunUntil(() => leecher.Torrent.Status.State == TorrentState.Seeding, TimeSpan.FromSeconds(5)), $"unlimited took over 5 s from {lifted}");
        SimulatedSwarmTests.AssertHolds(swarm, leecher, content);
    }

    [Fact]
    public void ASeedUploadLimitHolds()
    {
        using var swarm = new SimSwarm(12);
        var (seed, leecher, content) = SetUp(swarm);

        swarm.Run(seed.Torrent!.SetRateLimitsAsync(uploadRateLimit: Limit, downloadRateLimit: 0));
        Start(swarm, seed, leecher);

        double rate = Measure(swarm, () => swarm.Status(seed).TotalPayloadUpload);
        Assert.False(swarm.Status(leecher).IsFinished, "the transfer ended inside the window");
        AssertNear(rate, Limit, "upload");

        swarm.Run(seed.Torrent.SetRateLimitsAsync(0, 0));
        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)));
        SimulatedSwarmTests.AssertHolds(swarm, leecher, content);
    }

    [Fact]
    public void ASessionWideDownloadLimitHolds()
    {
        using var swarm = new SimSwarm(13);
        var (seed, leecher, _) = SetUp(swarm);

        swarm.Run(leecher.Session.ApplySettingsAsync(leecher.Session.Settings with { DownloadRateLimit = Limit }));
        Start(swarm, seed, leecher);

        AssertNear(Measure(swarm, () => swarm.Status(leecher).TotalPayloadDownload), Limit, "session download");
    }

    // About 7 MiB: at 512 KiB/s the transfer outlasts warm-up plus window with room to spare.
    private static (SimNode Seed, SimNode Leecher, byte[] Content) SetUp(SimSwarm swarm)
    {
        var (torrent, content) = SimSwarm.MakeTorrent(7_300_000, pieceLength: 65536);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        var leecher = swarm.AddNode();
        swarm.AddTorrent(leecher, torrent, paused: true);
        return (seed, leecher, content);
    }

    private static void Start(SimSwarm swarm, SimNode seed, SimNode leecher)
    {
        swarm.Run(leecher.Torrent!.ConnectPeerAsync(seed.EndPoint));
        swarm.Run(leecher.Torrent.ResumeAsync());
    }

    /// <summary>Average rate of <paramref name="bytes"/> over the window after the warm-up, in virtual time.</summary>
    private static double Measure(SimSwarm swarm, Func<long> bytes)
    {
        swarm.RunFor(WarmUp);
        long start = bytes();
        var from = swarm.Clock.Elapsed;
        swarm.RunFor(Window);
        return (bytes() - start) / (swarm.Clock.Elapsed - from).TotalSeconds;
    }

    private static void AssertNear(double rate, long limit, string what)
    {
        Assert.True(rate <= limit * 1.05, $"{what} averaged {rate:F0} B/s over the limit {limit} B/s");
        Assert.True(rate >= limit * 0.8, $"{what} averaged {rate:F0} B/s, far under the limit {limit} B/s");
    }
}
