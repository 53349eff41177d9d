using System.Net;

namespace GodotTorrent.Tests.Simulation;

/// <summary>The choker on virtual time: upload slots hold, and the optimistic unchoke rotates.</summary>
public sealed class SimulatedChokingTests
{
    [Fact]
    public void TheSeedUnchokesAtMostFourPeersAndRotatesTheOptimisticSlot()
    {
        using var swarm = new SimSwarm(9);
        // Slow links keep every downloader interested for the whole observation.
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(20), 16 * 1024);
        var (torrent, content) = SimSwarm.MakeTorrent(8 << 20);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        for (int i = 0; i < 8; i++)
        {
            swarm.AddTorrent(swarm.AddNode(), torrent, peers: [seed.EndPoint]);
        }

        var everUnchoked = new HashSet<IPAddress>();
        int mostAtOnce = 0;
        for (int second = 0; second < 120; second++)
        {
            swarm.RunFor(TimeSpan.FromSeconds(1));
            var unchoked = swarm.Run(seed.Torrent!.GetPeersAsync()).Where(p => !p.AmChoking).Select(p => p.EndPoint.Address).ToList();
            mostAtOnce = Math.Max(mostAtOnce, unchoked.Count);
            everUnchoked.UnionWith(unchoked);
        }

        Assert.InRange(mostAtOnce, 1, 4);
        // Four regular slots alone would never reach a fifth peer: the optimistic slot moved on every 30 s.
        Assert.True(everUnchoked.Count >= 5, $"only {everUnchoked.Count} peers were ever unchoked");
        Assert.Empty(swarm.Scheduler.Errors);
    }
}
