using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// One rate-limited seed and eight downloaders: the downloaders must trade pieces among themselves.
/// (This ran on loopback sockets and the real clock, with polling, before the simulation existed.)
/// </summary>
public sealed class SimulatedTradingTests
{
    private const int Leechers = 8;

    [Fact]
    public void EightDownloadersTradeWithEachOtherAndEndWithEqualFiles()
    {
        using var swarm = new SimSwarm(31);
        var (torrent, content) = SimSwarm.MakeTorrent(2_100_017, pieceLength: 32768);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        // The seed alone would need about 2 MiB x 8 / 1 MiB/s = 16 s: trading is what makes it quick.
        swarm.Run(seed.Torrent!.SetRateLimitsAsync(uploadRateLimit: 1024 * 1024, downloadRateLimit: 0));

        var nodes = Enumerable.Range(0, Leechers).Select(_ => swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All })).ToList();
        var connected = new int[Leechers];
        for (int i = 0; i < Leechers; i++)
        {
            int index = i;
            nodes[i].Session.Alerts.AlertPosted += (_, e) => connected[index] += e.Alert is PeerConnectedAlert ? 1 : 0;
        }

        for (int i = 0; i < Leechers; i++)
        {
            var others = nodes.Where((_, j) => j != i).Select(n => n.EndPoint);
            swarm.AddTorrent(nodes[i], torrent, peers: [seed.EndPoint, .. others]);
        }

        // While downloading, every downloader ends up connected to the seed and to other downloaders.
        var midway = new bool[Leechers];
        Assert.True(swarm.RunUntil(
            () =>
            {
                for (int i = 0; i < Leechers; i++)
                {
                    var status = nodes[i].Torrent!.Status;
                    midway[i] |= status.PeerCount >= 3 || status.IsSeeding;
                }

                return midway.All(m => m);
            },
            TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        Assert.True(swarm.RunUntil(() => SimSwarm.AllSeeding(nodes), TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));

        var finals = nodes.Select(swarm.Status).ToList();
        for (int i = 0; i < Leechers; i++)
        {
            Assert.Equal(torrent.PieceCount, finals[i].PiecesDone);
            SimulatedSwarmTests.AssertHolds(swarm, nodes[i], content);
            Assert.True(connected[i] >= 2, $"leecher {i} connected to {connected[i]} peers only");
        }

        long traded = finals.Sum(s => s.TotalPayloadUpload);
        long fromSeed = swarm.Status(seed).TotalPayloadUpload;
        Assert.True(traded > 0, "the downloaders never uploaded to each other");

        // Every byte a downloader received came from the seed or another downloader.
        long received = finals.Sum(s => s.TotalPayloadDownload);
        Assert.True(received >= Leechers * torrent.TotalSize, $"received {received} < {Leechers} x {torrent.TotalSize}");
        Assert.True(fromSeed < received, $"the seed uploaded {fromSeed} of the {received} bytes received: no trading");
        long redundant = finals.Sum(s => s.TotalRedundantBytes);
        Assert.True(redundant < received / 4, $"{redundant} of {received} bytes received were duplicates");

        // Most downloaders took part in trading: uploaded something to the others.
        int uploaders = finals.Count(s => s.TotalPayloadUpload > 0);
        Assert.True(uploaders >= Leechers / 2, $"only {uploaders} downloaders uploaded");
        Assert.Empty(swarm.Scheduler.Errors);
    }
}
