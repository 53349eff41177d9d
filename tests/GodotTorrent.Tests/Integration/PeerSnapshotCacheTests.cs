using GodotTorrent.Integration;
using GodotTorrent.Session;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.Integration;

/// <summary>Real loopback sessions: the cached list must come from a real connection.</summary>
public class PeerSnapshotCacheTests
{
    [Fact]
    public async Task A_refresh_stores_the_connected_peers_for_reading_without_waiting_and_forget_drops_them()
    {
        await using var swarm = new SwarmFixture();
        var torrent = await swarm.CreateContentAsync(swarm.Folder("seed"), "pack", [("a.bin", 200_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Two sessions with none of the data stay connected (a finished download would disconnect from its seed).
        var seeder = await swarm.StartSessionAsync();
        await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("empty") }, cts.Token);
        var leecher = await swarm.StartSessionAsync();
        var handle = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("dl"), Peers = [SwarmFixture.EndPointOf(seeder)] }, cts.Token);
        await handle.WaitForAsync(s => s.PeerCount > 0, cts.Token);
        var cache = new PeerSnapshotCache();
        const string key = "pack";

        Assert.Empty(cache.Get(key));
        await cache.RefreshAsync(key, handle);

        var peer = Assert.Single(cache.Get(key));
        Assert.Equal(seeder.ListenPort, peer.EndPoint.Port);
        Assert.Equal(1, cache.Count);
        cache.Forget(key);
        Assert.Empty(cache.Get(key));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task A_removed_torrent_keeps_its_last_list_and_the_refresh_does_not_throw()
    {
        await using var torrent = await IntegrationTorrent.CreateAsync();
        var cache = new PeerSnapshotCache();
        await torrent.Session.RemoveTorrentAsync(torrent.Handle);

        await cache.RefreshAsync(torrent.Key, torrent.Handle);

        Assert.Empty(cache.Get(torrent.Key));
    }
}
