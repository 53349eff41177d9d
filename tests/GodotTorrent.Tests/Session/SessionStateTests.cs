using GodotTorrent.Alerts;
using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Session;

/// <summary>
/// Session state survives a restart; the resume folder is written at shutdown; bad state is a typed error.
/// Real files: the state file, the resume folder and the files checked at restart are the point.
/// </summary>
public class SessionStateTests
{
    [Fact]
    public async Task Saved_state_restores_settings_filter_and_torrents_without_checking_verified_pieces_again()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var done = await swarm.CreateContentAsync(seedFolder, "done", [("a.bin", 300_000)], seed: 1);
        var half = await swarm.CreateContentAsync(seedFolder, "half", [("a.bin", 200_000), ("b.bin", 200_000)], seed: 2);
        var waiting = await swarm.CreateContentAsync(seedFolder, "waiting", [("c.bin", 100_000)], seed: 3);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seeder = await swarm.StartSessionAsync();
        foreach (var torrent in new[] { done, half, waiting })
        {
            var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
            await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        }

        var downloadFolder = swarm.Folder("download");
        var settings = SwarmFixture.LoopbackSettings with { ActiveDownloads = 7, UserAgent = "state-test/1", IpFilter = IpFilter.Empty.Add("10.0.0.0/8", blocked: true) };
        var first = new TorrentSession(settings);
        await first.StartAsync(cts.Token);
        await first.AddIpFilterRuleAsync("192.168.0.0/16", blocked: true, cts.Token);
        var doneHandle = await first.AddTorrentAsync(new AddTorrentParams { Torrent = done, SavePath = downloadFolder, Peers = [SwarmFixture.EndPointOf(seeder)] }, cts.Token);
        var halfHandle = await first.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = half,
            SavePath = downloadFolder,
            Peers = [SwarmFixture.EndPointOf(seeder)],
            FilePriorities = [Priority.Normal, Priority.Skip],
        }, cts.Token);
        var waitingHandle = await first.AddTorrentAsync(new AddTorrentParams { Torrent = waiting, SavePath = downloadFolder, Paused = true, AutoManaged = false }, cts.Token);
        await doneHandle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        await halfHandle.WaitForStateAsync(TorrentState.Finished, cts.Token);
        await halfHandle.QueuePositionTopAsync(cts.Token);
        var state = await first.SaveStateAsync(cts.Token);
        await first.DisposeAsync();

        await using var second = await TorrentSession.LoadStateAsync(state, cancellationToken: cts.Token);
        Assert.Equal(7, second.Settings.ActiveDownloads);
        Assert.Equal("state-test/1", second.Settings.UserAgent);
        Assert.Equal(2, second.Settings.IpFilter.Rules.Count);
        Assert.True(second.Settings.IpFilter.IsBlocked(System.Net.IPAddress.Parse("192.168.3.4")));

        var restored = await second.GetTorrentsAsync(cts.Token);
        Assert.Equal([half.InfoHashes, done.InfoHashes, waiting.InfoHashes], restored.Select(h => h.InfoHashes));
        var statuses = await Task.WhenAll(restored.Select(h => h.GetStatusAsync(cts.Token)));
        Assert.Equal([0, 1, 2], statuses.Select(s => s.QueuePosition));
        Assert.True(statuses[2].IsPaused);
        Assert.False(statuses[2].AutoManaged);
        Assert.False(statuses[0].IsPaused);
        Assert.Equal([Priority.Normal, Priority.Skip], await restored[0].GetFilePrioritiesAsync(cts.Token));

        var seeding = await restored[1].WaitForStateAsync(TorrentState.Seeding, cts.Token);
        var finished = await restored[0].WaitForStateAsync(TorrentState.Finished, cts.Token);
        Assert.Equal(done.PieceCount, seeding.PiecesDone);
        Assert.True(finished.PiecesDone > 0);
        var stats = await second.GetStatisticsAsync(cts.Token);
        Assert.Equal(0, stats.PiecesVerified);
        Assert.Equal(0, stats.PayloadBytesDownloaded);
        Assert.True(stats.DiskBytesRead < done.TotalSize, "verified pieces were trusted, not hashed again");
    }

    [Fact]
    public async Task State_saved_to_a_file_loads_and_corrupt_state_is_a_typed_error()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 100_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var session = await swarm.StartSessionAsync();
        var seed = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder }, cts.Token);
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        var path = Path.Combine(swarm.Root, "state", "session.state");
        await session.SaveStateToFileAsync(path, cts.Token);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
        await session.StopAsync(cts.Token);

        await using (var loaded = await TorrentSession.LoadStateFromFileAsync(path, cancellationToken: cts.Token))
        {
            var handle = Assert.Single(await loaded.GetTorrentsAsync(cts.Token));
            Assert.Equal(torrent.InfoHashes, handle.InfoHashes);
            await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        }

        var bytes = await File.ReadAllBytesAsync(path, cts.Token);
        var truncated = await Assert.ThrowsAsync<TorrentException>(() => TorrentSession.LoadStateAsync(bytes[..(bytes.Length / 2)]));
        Assert.Equal(ErrorCode.InvalidSessionState, truncated.ErrorCode);
        var garbage = await Assert.ThrowsAsync<TorrentException>(() => TorrentSession.LoadStateAsync("d3:fooi1ee"u8.ToArray()));
        Assert.Equal(ErrorCode.InvalidSessionState, garbage.ErrorCode);
        var random = new byte[500];
        new Random(5).NextBytes(random);
        Assert.Equal(ErrorCode.InvalidSessionState, (await Assert.ThrowsAsync<TorrentException>(() => TorrentSession.LoadStateAsync(random))).ErrorCode);
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        var badResume = System.Text.Encoding.Latin1.GetBytes(text.Replace("pieces", "piecez", StringComparison.Ordinal));
        Assert.Equal(ErrorCode.InvalidSessionState, (await Assert.ThrowsAsync<TorrentException>(() => TorrentSession.LoadStateAsync(badResume))).ErrorCode);
    }

    [Fact]
    public async Task The_resume_folder_gets_each_torrents_resume_data_at_shutdown()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 100_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var resumeFolder = Path.Combine(swarm.Root, "resume");
        var session = await swarm.StartSessionAsync(options: new TorrentSessionOptions { ResumeDataFolder = resumeFolder });
        var seed = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder }, cts.Token);
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        session.ClearAlerts();

        await session.StopAsync(cts.Token);

        var file = Path.Combine(resumeFolder, torrent.InfoHashes.Primary.ToHex() + ".resume");
        Assert.True(File.Exists(file));
        var resume = ResumeDataSerializer.Decode(await File.ReadAllBytesAsync(file, cts.Token));
        Assert.Equal(torrent.InfoHashes, resume.InfoHashes);
        Assert.True(resume.Pieces.AllSet);
        Assert.Contains(session.PopAlerts(), a => a is SaveResumeDataAlert s && s.InfoHashes.Equals(torrent.InfoHashes));
    }
}
