using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

public class SwarmTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_seed_to_one_downloader()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 300_000), ("dir/b.bin", 1_000_000), ("c.bin", 5)]);

        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        using var cts = new CancellationTokenSource(Deadline);
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All });
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = downloadFolder,
            Peers = [SwarmFixture.EndPointOf(seeder)],
        });

        var status = await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        Assert.Equal(torrent.PieceCount, status.PiecesDone);
        Assert.Equal(1.0, status.Progress);
        SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, torrent);
        var alerts = leecher.PopAlerts();
        Assert.Contains(alerts, a => a is TorrentFinishedAlert);
        Assert.Contains(alerts, a => a is PeerConnectedAlert);
        Assert.Equal(torrent.PieceCount, alerts.Count(a => a is PieceFinishedAlert));
        Assert.True((await seed.GetStatusAsync()).TotalPayloadUpload >= torrent.TotalSize);
    }
}
