using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

public class SharedDiskBudgetTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Two_torrents_on_a_slow_disk_download_within_one_session_budget()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var first = await swarm.CreateContentAsync(seedFolder, "one", [("a.bin", 2_000_000)], pieceLength: 262144, seed: 1);
        var second = await swarm.CreateContentAsync(seedFolder, "two", [("b.bin", 2_000_000)], pieceLength: 262144, seed: 2);
        var seeder = await swarm.StartSessionAsync();
        await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = first, SavePath = seedFolder });
        await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = second, SavePath = seedFolder });

        // Writes of 10 ms each against a 1 MiB budget: both torrents run into it, whatever the machine's load.
        const long budget = 1024 * 1024;
        var leecher = await swarm.StartSessionAsync(
            SwarmFixture.LoopbackSettings with { DiskBufferBudget = budget },
            new TorrentSessionOptions { StorageFactory = SlowDiskStorage.Factory(TimeSpan.FromMilliseconds(10)) });
        var one = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = first, SavePath = swarm.Folder("download"), Peers = [SwarmFixture.EndPointOf(seeder)] });
        var two = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = second, SavePath = swarm.Folder("download"), Peers = [SwarmFixture.EndPointOf(seeder)] });
        using var cts = new CancellationTokenSource(Deadline);
        await Task.WhenAll(one.WaitForStateAsync(TorrentState.Seeding, cts.Token), two.WaitForStateAsync(TorrentState.Seeding, cts.Token));

        Assert.InRange(leecher.Disk.PeakBufferedBytes, 1, budget);
        Assert.Equal(0, leecher.Disk.BufferedBytes);
        Assert.Equal(0, (await leecher.GetStatisticsAsync(cts.Token)).DiskQueueBytes);
        Assert.Equal(2, leecher.Disk.AccountCount);

        // A removed torrent leaves the budget, so it no longer splits the shares.
        await leecher.RemoveTorrentAsync(one, RemoveOptions.None, cts.Token);
        Assert.Equal(1, leecher.Disk.AccountCount);
    }
}
