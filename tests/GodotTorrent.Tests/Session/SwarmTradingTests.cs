using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>One rate-limited seed and eight downloaders: the downloaders must trade pieces among themselves.</summary>
public class SwarmTradingTests
{
    private const int Leechers = 8;

    [Fact]
    public async Task Eight_downloaders_trade_with_each_other_and_end_with_equal_files()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 1_200_000), ("b/c.bin", 900_000), ("d.bin", 17)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        // The seed alone would need about 2 MiB x 8 / 1 MiB/s = 16 s: trading is what makes it quick.
        await seed.SetRateLimitsAsync(uploadRateLimit: 1024 * 1024, downloadRateLimit: 0, cts.Token);

        var sessions = new List<TorrentSession>();
        for (int i = 0; i < Leechers; i++)
        {
            sessions.Add(await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All }));
        }

        var handles = new List<TorrentHandle>();
        for (int i = 0; i < Leechers; i++)
        {
            var others = sessions.Where((_, j) => j != i).Select(SwarmFixture.EndPointOf);
            handles.Add(await sessions[i].AddTorrentAsync(new AddTorrentParams
            {
                Torrent = torrent,
                SavePath = swarm.Folder("leecher" + i),
                Peers = [SwarmFixture.EndPointOf(seeder), .. others],
            }));
        }

        // While downloading, every downloader ends up connected to the seed and to other downloaders.
        var midway = await Task.WhenAll(handles.Select(h => h.WaitForAsync(s => s.PeerCount >= 3 || s.IsSeeding, cts.Token)));
        var statuses = await Task.WhenAll(handles.Select(h => h.WaitForStateAsync(TorrentState.Seeding, cts.Token)));

        for (int i = 0; i < Leechers; i++)
        {
            Assert.Equal(torrent.PieceCount, statuses[i].PiecesDone);
            SwarmFixture.AssertSameFiles(seedFolder, swarm.Folder("leecher" + i), torrent);
        }

        var finals = await Task.WhenAll(handles.Select(h => h.GetStatusAsync(cts.Token)));
        long traded = finals.Sum(s => s.TotalPayloadUpload);
        long fromSeed = (await seed.GetStatusAsync(cts.Token)).TotalPayloadUpload;
        Assert.True(traded > 0, "the downloaders never uploaded to each other");

        // Every byte a downloader received came from the seed or another downloader.
        long received = finals.Sum(s => s.TotalPayloadDownload);
        Assert.True(received >= Leechers * torrent.TotalSize, $"received {received} < {Leechers} x {torrent.TotalSize}");
        Assert.True(fromSeed < received, $"the seed uploaded {fromSeed} of the {received} bytes received: no trading");
        long redundant = finals.Sum(s => s.TotalRedundantBytes);
        Assert.True(redundant < received / 4, $"{redundant} of {received} bytes received were duplicates");
        Console.WriteLine($"seed {fromSeed}, traded {traded}, received {received}, peers midway {string.Join(",", midway.Select(s => s.PeerCount))}");
        for (int i = 0; i < Leechers; i++)
        {
            var alerts = sessions[i].PopAlerts();
            int connected = alerts.OfType<PeerConnectedAlert>().Count();
            var disconnects = alerts.OfType<PeerDisconnectedAlert>().GroupBy(a => a.Error).Select(g => $"{g.Key}:{g.Count()}");
            Console.WriteLine($"leecher {i}: up {finals[i].TotalPayloadUpload} down {finals[i].TotalPayloadDownload} redundant {finals[i].TotalRedundantBytes} connects {connected} disconnects {string.Join(" ", disconnects)}");
            Assert.True(connected >= 2, $"leecher {i} connected to {connected} peers only");
        }

        // Most downloaders took part in trading: uploaded something to the others.
        int uploaders = finals.Count(s => s.TotalPayloadUpload > 0);
        Assert.True(uploaders >= Leechers / 2, $"only {uploaders} downloaders uploaded");
    }
}
