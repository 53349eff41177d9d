using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

public class StatusAndExtrasTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Status_and_peer_snapshots_carry_times_counts_and_web_seeds()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 3_000_000)], pieceLength: 65536);
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        using var cts = new CancellationTokenSource(Deadline);
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All });
        var handle = await leecher.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = swarm.Folder("download"),
            Peers = [SwarmFixture.EndPointOf(seeder)],
            DownloadRateLimit = 1024 * 1024,
        });

        // While downloading: the peer is a seed we request from.
        await handle.WaitForAsync(s => s.PiecesDone > 0, cts.Token);
        var peers = await handle.GetPeersAsync(cts.Token);
        var peer = Assert.Single(peers);
        Assert.Equal(torrent.PieceCount, peer.PiecesDownloaded);
        Assert.NotNull(peer.LastRequest);
        Assert.True(peer.LastActive < TimeSpan.FromSeconds(30));
        Assert.Equal("bittorrent/tcp", peer.ConnectionType);

        var done = await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(2.2), cts.Token);
        var status = await handle.GetStatusAsync(cts.Token);
        Assert.True(status.ActiveTime >= TimeSpan.FromSeconds(1), $"active {status.ActiveTime}");
        Assert.True(status.SeedingTime >= TimeSpan.FromSeconds(1), $"seeding {status.SeedingTime}");
        Assert.True(status.SeedingTime <= status.ActiveTime);
        Assert.NotNull(status.TimeSinceDownload);
        Assert.Null(status.TimeSinceUpload);
        Assert.Equal(16 * 1024, status.BlockSize);
        Assert.Equal(0, status.PiecesInProgress);
        Assert.Equal(1, status.KnownSeedCount);
        Assert.Equal(0, done.ConnectCandidates);

        // The seed told us the address it sees us at.
        var alerts = leecher.PopAlerts();
        Assert.Contains(alerts, a => a is ExternalIpAlert { Address: var address } && System.Net.IPAddress.IsLoopback(address));

        // Web seeds: listed, added, removed, and kept in resume data.
        Assert.Empty(await handle.GetWebSeedsAsync(cts.Token));
        await handle.AddWebSeedAsync("http://127.0.0.1:1/files/", cts.Token);
        await Assert.ThrowsAsync<TorrentException>(() => handle.AddWebSeedAsync("ftp://nope/", cts.Token));
        Assert.Equal(["http://127.0.0.1:1/files/"], await handle.GetWebSeedsAsync(cts.Token));
        Assert.Equal(["http://127.0.0.1:1/files/"], (await handle.SaveResumeDataAsync(cts.Token)).WebSeeds);
        Assert.True(await handle.RemoveWebSeedAsync("http://127.0.0.1:1/files/", cts.Token));
        Assert.Empty(await handle.GetWebSeedsAsync(cts.Token));
    }

    [Fact]
    public async Task A_full_disk_buffer_gives_one_performance_warning_not_one_per_block()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 3_000_000)], pieceLength: 262144);
        var seeder = await swarm.StartSessionAsync();
        await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        // Writes of 20 ms each against a 1 MiB buffer: requests outrun the disk whatever the machine's load.
        var leecher = await swarm.StartSessionAsync(
            SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All, DiskBufferBudget = 1024 * 1024 },
            new TorrentSessionOptions { StorageFactory = SlowDiskStorage.Factory(TimeSpan.FromMilliseconds(20)) });
        var handle = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("download"), Peers = [SwarmFixture.EndPointOf(seeder)] });
        using var cts = new CancellationTokenSource(Deadline);
        await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var warning = Assert.Single(leecher.PopAlerts().OfType<PerformanceWarningAlert>());
        Assert.Contains("disk buffer", warning.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task All_piece_priorities_can_be_read_and_set_at_once()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 10 * 32768)]);
        var seeder = await swarm.StartSessionAsync();
        await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        var leecher = await swarm.StartSessionAsync();
        var handle = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("download"), Paused = true });
        using var cts = new CancellationTokenSource(Deadline);
        await handle.WaitForAsync(s => s.State == TorrentState.Downloading, cts.Token);

        Assert.All(await handle.GetPiecePrioritiesAsync(cts.Token), p => Assert.Equal(Priority.Normal, p));
        var wanted = Enumerable.Range(0, 10).Select(i => i < 4 ? Priority.Top : Priority.Skip).ToArray();
        await handle.SetPiecePrioritiesAsync(wanted, cts.Token);
        Assert.Equal(wanted, await handle.GetPiecePrioritiesAsync(cts.Token));
        await Assert.ThrowsAsync<TorrentException>(() => handle.SetPiecePrioritiesAsync([Priority.Top], cts.Token));

        await handle.ConnectPeerAsync(SwarmFixture.EndPointOf(seeder), cts.Token);
        await handle.ResumeAsync(cts.Token);
        var status = await handle.WaitForStateAsync(TorrentState.Finished, cts.Token);
        Assert.Equal("1111000000", status.Pieces.ToString());
    }

    [Fact]
    public void Encryption_is_refused_until_it_exists()
    {
        var error = Assert.Throws<TorrentException>(() => new TorrentSession(new SessionSettings { Encryption = EncryptionPolicy.Required }));
        Assert.Equal(ErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("Encryption", error.Message, StringComparison.Ordinal);
    }
}
