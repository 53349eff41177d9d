using System.Diagnostics;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>Download and upload limits hold on average over a window of seconds; 0 means unlimited.</summary>
public class RateLimitTests
{
    private const long Limit = 512 * 1024;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(8);

    private static async Task<(TorrentSession Seeder, TorrentHandle Seed, TorrentSession Leecher, TorrentHandle Download, string SeedFolder, string DownloadFolder, GodotTorrent.Metainfo.TorrentInfo Torrent)> SetUpAsync(SwarmFixture swarm, CancellationToken cancellationToken)
    {
        var seedFolder = swarm.Folder("seed");
        // About 7 MiB: at 512 KiB/s the transfer outlasts warm-up plus window with room to spare.
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 5_000_000), ("b.bin", 2_300_000)], pieceLength: 65536);
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder }, cancellationToken);
        await seed.WaitForStateAsync(TorrentState.Seeding, cancellationToken);
        var leecher = await swarm.StartSessionAsync();
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = downloadFolder, Paused = true }, cancellationToken);
        await download.WaitForAsync(s => s.State == TorrentState.Downloading, cancellationToken);
        return (seeder, seed, leecher, download, seedFolder, downloadFolder, torrent);
    }

    /// <summary>Average rate of <paramref name="bytes"/> over the window after the warm-up.</summary>
    private static async Task<double> MeasureAsync(Func<Task<long>> bytes, CancellationToken cancellationToken)
    {
        await Task.Delay(WarmUp, cancellationToken);
        long start = await bytes();
        var clock = Stopwatch.StartNew();
        await Task.Delay(Window, cancellationToken);
        long end = await bytes();
        return (end - start) / clock.Elapsed.TotalSeconds;
    }

    private static void AssertNear(double rate, long limit, string what)
    {
        Console.WriteLine($"{what}: {rate:F0} B/s for a limit of {limit} B/s ({rate / limit:P1})");
        Assert.True(rate <= limit * 1.05, $"{what} averaged {rate:F0} B/s over the limit {limit} B/s");
        Assert.True(rate >= limit * 0.8, $"{what} averaged {rate:F0} B/s, far under the limit {limit} B/s");
    }

    [Fact]
    public async Task A_torrent_download_limit_holds_and_zero_lifts_it()
    {
        await using var swarm = new SwarmFixture();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var (seeder, _, _, download, seedFolder, downloadFolder, torrent) = await SetUpAsync(swarm, cts.Token);

        await download.SetRateLimitsAsync(uploadRateLimit: 0, downloadRateLimit: Limit, cts.Token);
        await download.ConnectPeerAsync(SwarmFixture.EndPointOf(seeder), cts.Token);
        await download.ResumeAsync(cts.Token);

        double rate = await MeasureAsync(async () => (await download.GetStatusAsync(cts.Token)).TotalPayloadDownload, cts.Token);
        Assert.False((await download.GetStatusAsync(cts.Token)).IsFinished, "the transfer ended inside the window");
        AssertNear(rate, Limit, "download");

        // 0 = unlimited: the rest (several MiB) arrives in a fraction of the time the limit would take.
        var lifted = Stopwatch.StartNew();
        await download.SetRateLimitsAsync(0, 0, cts.Token);
        var status = await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        Assert.True(lifted.Elapsed < TimeSpan.FromSeconds(5), $"unlimited took {lifted.Elapsed}");
        Assert.Equal(torrent.PieceCount, status.PiecesDone);
        SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, torrent);
    }

    [Fact]
    public async Task A_seed_upload_limit_holds()
    {
        await using var swarm = new SwarmFixture();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var (seeder, seed, _, download, seedFolder, downloadFolder, torrent) = await SetUpAsync(swarm, cts.Token);

        await seed.SetRateLimitsAsync(uploadRateLimit: Limit, downloadRateLimit: 0, cts.Token);
        await download.ConnectPeerAsync(SwarmFixture.EndPointOf(seeder), cts.Token);
        await download.ResumeAsync(cts.Token);

        double rate = await MeasureAsync(async () => (await seed.GetStatusAsync(cts.Token)).TotalPayloadUpload, cts.Token);
        Assert.False((await download.GetStatusAsync(cts.Token)).IsFinished, "the transfer ended inside the window");
        AssertNear(rate, Limit, "upload");

        await seed.SetRateLimitsAsync(0, 0, cts.Token);
        await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, torrent);
    }

    [Fact]
    public async Task A_session_wide_download_limit_holds()
    {
        await using var swarm = new SwarmFixture();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var (seeder, _, leecher, download, _, _, _) = await SetUpAsync(swarm, cts.Token);

        await leecher.ApplySettingsAsync(leecher.Settings with { DownloadRateLimit = Limit }, cts.Token);
        await download.ConnectPeerAsync(SwarmFixture.EndPointOf(seeder), cts.Token);
        await download.ResumeAsync(cts.Token);

        double rate = await MeasureAsync(async () => (await download.GetStatusAsync(cts.Token)).TotalPayloadDownload, cts.Token);
        AssertNear(rate, Limit, "session download");
    }
}
