using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

public class PickingOrderTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static async Task<List<int>> PieceOrderAsync(Func<AddTorrentParams, AddTorrentParams> configure)
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 20 * 32768), ("b.bin", 20 * 32768)]);
        var seeder = await swarm.StartSessionAsync();
        await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All });
        var handle = await leecher.AddTorrentAsync(configure(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = swarm.Folder("download"),
            Peers = [SwarmFixture.EndPointOf(seeder)],
            DownloadRateLimit = 160 * 1024,
        }));
        using var cts = new CancellationTokenSource(Deadline);
        await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        return leecher.PopAlerts().OfType<PieceFinishedAlert>().Select(a => a.PieceIndex).ToList();
    }

    [Fact]
    public async Task Sequential_download_finishes_pieces_in_order()
    {
        var order = await PieceOrderAsync(p => p with { SequentialDownload = true });
        Assert.Equal(40, order.Count);
        // With a rate limit one request round is in flight at a time, so pieces finish close to in order.
        int inversions = order.Zip(order.Skip(1)).Count(p => p.Second < p.First);
        Assert.True(inversions <= 4, $"{inversions} out-of-order pieces: {string.Join(",", order)}");
    }

    [Fact]
    public async Task First_and_last_pieces_of_each_file_come_early()
    {
        var order = await PieceOrderAsync(p => p with { FirstAndLastPiecesFirst = true });
        int[] edges = [0, 19, 20, 39];
        var positions = edges.Select(e => order.IndexOf(e)).ToList();
        Assert.All(positions, position => Assert.InRange(position, 0, 11));
    }
}
