using GodotTorrent.Integration;
using GodotTorrent.Session;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.Integration;

/// <summary>The addon's autosave. Real files: the state file and the data checked at restart are the point.</summary>
public class SessionStateFileTests
{
    [Fact]
    public async Task A_restart_restores_the_torrents_without_hashing_them_again_and_takes_the_new_settings()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 300_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var store = new SessionStateFile(Path.Combine(swarm.Root, "user", "godot_torrent"));

        await using (var first = await store.StartAsync(SwarmFixture.LoopbackSettings with { UserAgent = "first/1" }, cancellationToken: cts.Token))
        {
            Assert.Empty(await first.GetTorrentsAsync(cts.Token));
            var handle = await first.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder }, cts.Token);
            await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
            await store.SaveAsync(first, cts.Token);
        }

        Assert.True(File.Exists(store.Path));
        await using var second = await store.StartAsync(SwarmFixture.LoopbackSettings with { UserAgent = "second/2" }, cancellationToken: cts.Token);
        Assert.Null(store.LoadError);
        Assert.Equal("second/2", second.Settings.UserAgent);
        var restored = Assert.Single(await second.GetTorrentsAsync(cts.Token));
        Assert.Equal(torrent.InfoHashes, restored.InfoHashes);
        var status = await restored.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        Assert.Equal(torrent.PieceCount, status.PiecesDone);
        var stats = await second.GetStatisticsAsync(cts.Token);
        Assert.Equal(0, stats.PiecesVerified);
        Assert.True(stats.DiskBytesRead < torrent.TotalSize, "verified pieces were trusted, not hashed again");
    }

    [Fact]
    public async Task A_corrupt_state_file_is_moved_aside_and_the_session_starts_empty()
    {
        await using var swarm = new SwarmFixture();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var store = new SessionStateFile(swarm.Folder("state"));
        await File.WriteAllBytesAsync(store.Path, "d3:fooi1ee"u8.ToArray(), cts.Token);

        await using var session = await store.StartAsync(SwarmFixture.LoopbackSettings, cancellationToken: cts.Token);

        Assert.True(session.IsRunning);
        Assert.Empty(await session.GetTorrentsAsync(cts.Token));
        Assert.Equal(ErrorCode.InvalidSessionState, store.LoadError?.ErrorCode);
        Assert.False(File.Exists(store.Path));
        Assert.True(File.Exists(store.Path + ".bad"));
    }
}
