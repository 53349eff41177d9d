using System.Diagnostics;
using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>Pausing mid-transfer stops all traffic and drops every peer; resuming finishes the download intact.</summary>
public class PauseResumeTests
{
    [Fact]
    public async Task Pause_mid_transfer_stops_everything_and_resume_completes_with_equal_data()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 2_000_000), ("b.bin", 1_000_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder, UploadRateLimit = 1024 * 1024 });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All });
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = downloadFolder,
            Peers = [SwarmFixture.EndPointOf(seeder)],
        });

        await download.WaitForAsync(s => s.Progress > 0.2, cts.Token);
        await download.PauseAsync(cts.Token);
        var paused = await download.WaitForAsync(s => s.PeerCount == 0, cts.Token);
        Assert.True(paused.IsPaused);
        Assert.True(paused.Progress < 1.0, "the download finished before it could be paused");

        // Blocks already handed to the disk may still be verified; then nothing moves.
        await Task.Delay(300, cts.Token);
        var before = await download.GetStatusAsync(cts.Token);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(200, cts.Token);
            var now = await download.GetStatusAsync(cts.Token);
            Assert.Equal(0, now.PeerCount);
            Assert.Equal(before.TotalPayloadDownload, now.TotalPayloadDownload);
            Assert.Equal(before.PiecesDone, now.PiecesDone);
        }

        Assert.Equal(0, (await seed.GetStatusAsync(cts.Token)).PeerCount);
        var alerts = leecher.PopAlerts();
        Assert.Contains(alerts, a => a is TorrentPausedAlert);

        var resumed = Stopwatch.StartNew();
        await download.ResumeAsync(cts.Token);
        await download.WaitForAsync(s => s.PeerCount > 0 || s.IsSeeding, cts.Token);
        var reconnectTime = resumed.Elapsed;
        var status = await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        Assert.True(reconnectTime < TimeSpan.FromSeconds(3), $"reconnecting after resume took {reconnectTime}");
        Assert.False(status.IsPaused);
        Assert.Equal(torrent.PieceCount, status.PiecesDone);
        Assert.Contains(leecher.PopAlerts(), a => a is TorrentResumedAlert);
        SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, torrent);
    }
}
