using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>The batched status query: every torrent's fresh snapshot in one visit to the engine loop.</summary>
public class TorrentStatusesTests
{
    [Fact]
    public async Task Every_torrent_comes_back_fresh_in_the_order_it_was_added()
    {
        await using var swarm = new SwarmFixture();
        var folder = swarm.Folder("seed");
        var session = await swarm.StartSessionAsync();
        var handles = new List<TorrentHandle>();
        for (int i = 0; i < 3; i++)
        {
            var torrent = await swarm.CreateContentAsync(folder, "t" + i, [("a.bin", 20_000)], pieceLength: 16384, seed: i);
            handles.Add(await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = folder, AutoManaged = false }));
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var handle in handles)
        {
            await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        }

        await handles[1].PauseAsync(cts.Token);
        await handles[2].QueuePositionTopAsync(cts.Token);
        var statuses = await session.GetTorrentStatusesAsync(cts.Token);

        Assert.Equal(handles.Select(h => h.InfoHashes), statuses.Select(s => s.InfoHashes));
        Assert.All(statuses, s => Assert.Equal(TorrentState.Seeding, s.State));
        Assert.Equal([false, true, false], statuses.Select(s => s.IsPaused));
        Assert.Equal([1, 2, 0], statuses.Select(s => s.QueuePosition));
        Assert.All(statuses, s => Assert.Equal(1.0, s.Progress));

        await session.RemoveTorrentAsync(handles[0], cancellationToken: cts.Token);
        var after = await session.GetTorrentStatusesAsync(cts.Token);
        Assert.Equal(handles.Skip(1).Select(h => h.InfoHashes), after.Select(s => s.InfoHashes));
        Assert.Equal([1, 0], after.Select(s => s.QueuePosition));
    }
}
