using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>The choker on virtual time: upload slots hold, rounds run every 10 s, and the optimistic unchoke rotates.</summary>
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

    [Fact]
    public void ChokingRoundsRunEveryTenSeconds()
    {
        using var swarm = new SimSwarm(10);
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(20), 16 * 1024);
        var (torrent, content) = SimSwarm.MakeTorrent(8 << 20);
        // Round robin hands the regular slots to the next peers at every round, so each round shows as a change.
        var seed = swarm.AddNode(SimSwarm.DefaultSettings with { SeedChokingAlgorithm = SeedChokingAlgorithm.RoundRobin });
        swarm.AddTorrent(seed, torrent, content);
        for (int i = 0; i < 8; i++)
        {
            swarm.AddTorrent(swarm.AddNode(), torrent, peers: [seed.EndPoint]);
        }

        // The first seconds unchoke interested peers into free slots outside the rounds.
        swarm.RunFor(TimeSpan.FromSeconds(15));
        var changes = new List<TimeSpan>();
        var before = Unchoked(swarm, seed);
        for (int second = 0; second < 100; second++)
        {
            swarm.RunFor(TimeSpan.FromSeconds(1));
            var now = Unchoked(swarm, seed);
            if (!now.SetEquals(before))
            {
                changes.Add(swarm.Clock.Elapsed);
            }

            before = now;
        }

        Assert.True(changes.Count >= 8, $"only {changes.Count} changes: {string.Join(", ", changes)}");
        // Sampled once a virtual second: a gap of 10 s may read as 9 or 11.
        Assert.All(changes.Zip(changes.Skip(1), (a, b) => b - a), gap => Assert.InRange(gap, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(11)));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    private static HashSet<IPAddress> Unchoked(SimSwarm swarm, SimNode node) =>
        swarm.Run(node.Torrent!.GetPeersAsync()).Where(p => !p.AmChoking).Select(p => p.EndPoint.Address).ToHashSet();
}
