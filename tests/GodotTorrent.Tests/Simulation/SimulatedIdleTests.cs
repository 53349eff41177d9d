using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Issue 19: a session holding many idle seeding torrents must cost next to nothing. The engine
/// wakes once a second for the whole session (one timer, one tick over every torrent), never once
/// per torrent: a timer or announce per torrent would multiply the work items with the torrent count.
/// </summary>
public sealed class SimulatedIdleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(2);

    [Fact]
    public void IdleTorrentsScheduleNoWorkOfTheirOwn()
    {
        long few = WorkItemsWhileIdle(torrents: 5);
        long many = WorkItemsWhileIdle(torrents: 200);

        // One tick a second (plus the odd session-wide chore), whatever the number of torrents.
        Assert.InRange(few, 1, 3 * (long)Window.TotalSeconds);
        Assert.Equal(few, many);
    }

    /// <summary>Work items the scheduler runs in <see cref="Window"/> of virtual time once every torrent seeds.</summary>
    private static long WorkItemsWhileIdle(int torrents)
    {
        using var swarm = new SimSwarm(41);
        var node = swarm.AddNode(SimSwarm.DefaultSettings with { ActiveSeeds = torrents, ActiveLimit = torrents });
        var handles = new List<TorrentHandle>();
        for (int i = 0; i < torrents; i++)
        {
            var content = SimContent.Create("t" + i, [("a.bin", 40_000)], pieceLength: 16384, seed: i + 1);
            handles.Add(swarm.AddTorrent(node, new AddTorrentParams { Torrent = content.Torrent, SavePath = "/sim/t" + i }, content.PieceSpace));
        }

        Assert.True(swarm.RunUntil(() => handles.TrueForAll(h => h.Status.State == TorrentState.Seeding), Bound));
        // Past the first choke rounds, queue decisions and snapshot refreshes.
        swarm.RunFor(TimeSpan.FromSeconds(40));
        long before = swarm.Scheduler.Steps;
        swarm.RunFor(Window);
        Assert.Empty(swarm.Scheduler.Errors);
        return swarm.Scheduler.Steps - before;
    }
}
