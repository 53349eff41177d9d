using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>Whole swarms on the simulated network: completion, trading between downloaders, determinism.</summary>
public sealed class SimulatedSwarmTests
{
    [Fact]
    public void ThreeNodesDownloadFromOneSeed()
    {
        using var swarm = new SimSwarm(3, Microsoft.Extensions.Logging.LogLevel.Debug);
        var (torrent, content) = SimSwarm.MakeTorrent(2 << 20);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, torrent, content);
        var leechers = Enumerable.Range(0, 3).Select(_ => swarm.AddNode()).ToList();
        foreach (var leecher in leechers)
        {
            swarm.AddTorrent(leecher, torrent, peers: [seed.EndPoint]);
        }

        Assert.True(swarm.RunUntil(() => leechers.All(l => l.Torrent!.Status.State == TorrentState.Seeding), TimeSpan.FromMinutes(5)), $"t={swarm.Clock.Elapsed} steps={swarm.Scheduler.Steps} conns={swarm.Network.ConnectionsMade} errors={string.Join(";", swarm.Scheduler.Errors.Take(2))} status={swarm.Status(leechers[0])}\n{string.Join("\n", swarm.Log.Lines.Take(40))}\n{string.Join("\n", swarm.Network.Events.Take(40))}");
        foreach (var leecher in leechers)
        {
            AssertHolds(swarm, leecher, content);
        }

        Assert.Empty(swarm.Scheduler.Errors);
    }

    internal static void AssertHolds(SimSwarm swarm, SimNode node, byte[] content)
    {
        var storage = node.Disk[$"/sim/{node}"];
        var layout = new GodotTorrent.Storage.PieceLayout(storage.Torrent);
        var buffer = new byte[layout.PieceLength];
        for (int piece = 0; piece < layout.PieceCount; piece++)
        {
            int size = layout.GetPieceSize(piece);
            var read = storage.ReadAsync(piece, 0, buffer.AsMemory(0, size));
            swarm.Run(read.AsTask());
            Assert.True(buffer.AsSpan(0, size).SequenceEqual(content.AsSpan(piece * layout.PieceLength, size)), $"{node} piece {piece} differs");
        }
    }
}
