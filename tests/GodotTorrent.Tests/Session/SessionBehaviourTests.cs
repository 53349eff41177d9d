using System.Diagnostics;
using GodotTorrent.Alerts;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Session;

/// <summary>Spot checks of alerts, status snapshots, handles and connection rules in a live swarm.</summary>
public class SessionBehaviourTests
{
    private static SessionSettings AllAlerts => SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All };

    [Fact]
    public async Task A_download_reports_checking_then_downloading_then_seeding_and_names_our_client()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 1_500_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder, UploadRateLimit = 1024 * 1024 });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leecher = await swarm.StartSessionAsync(AllAlerts);
        var download = await leecher.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = swarm.Folder("download"),
            Peers = [SwarmFixture.EndPointOf(seeder)],
        });

        await download.WaitForAsync(s => s.PeerCount > 0 && s.State == TorrentState.Downloading, cts.Token);
        var peers = await download.GetPeersAsync(cts.Token);
        var peer = Assert.Single(peers);
        Assert.StartsWith("Godot-Torrent", peer.Client, StringComparison.Ordinal);
        Assert.Contains("0.1.0", peer.Client, StringComparison.Ordinal);
        Assert.Equal(SwarmFixture.EndPointOf(seeder), peer.EndPoint);
        Assert.True(peer.IsOutgoing);
        Assert.True(peer.IsSeed);
        Assert.True(peer.SupportsExtensions);
        Assert.True(peer.SupportsFastExtension);
        Assert.Equal("manual", peer.Source);

        await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        var states = leecher.PopAlerts().OfType<StateChangedAlert>().Where(a => a.Handle == download).ToList();
        Assert.Equal([TorrentState.CheckingFiles, TorrentState.Downloading, TorrentState.Seeding], states.Select(a => a.State));
        Assert.Equal(TorrentState.QueuedForChecking, states[0].PreviousState);
        Assert.Equal(["checking_files", "downloading", "seeding"],
            states.Select(a => new TorrentStatus { InfoHashes = torrent.InfoHashes, Name = "x", SavePath = "x", State = a.State }.StateName));
    }

    [Fact]
    public void Our_peer_id_names_Godot_Torrent()
    {
        Assert.Equal("Godot-Torrent 0.1.0", PeerId.Generate(new SessionSettings().PeerIdPrefix).ClientName);
    }

    [Fact]
    public async Task A_removed_torrent_handle_is_invalid_and_its_calls_throw_InvalidHandle()
    {
        await using var swarm = new SwarmFixture();
        var folder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(folder, "pack", [("a.bin", 100_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var session = await swarm.StartSessionAsync(AllAlerts);
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = folder });
        await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        Assert.True(handle.IsValid);
        await session.RemoveTorrentAsync(handle, cancellationToken: cts.Token);

        Assert.False(handle.IsValid);
        Assert.Null(session.FindTorrent(torrent.InfoHashes.Primary));
        Assert.Empty(await session.GetTorrentsAsync(cts.Token));
        Assert.Contains(session.PopAlerts(), a => a is TorrentRemovedAlert r && r.Handle == handle);
        async Task Invalid(Func<Task> call) => Assert.Equal(ErrorCode.InvalidHandle, (await Assert.ThrowsAsync<TorrentException>(call)).ErrorCode);
        await Invalid(() => handle.GetStatusAsync(cts.Token));
        await Invalid(() => handle.PauseAsync(cts.Token));
        await Invalid(() => handle.ResumeAsync(cts.Token));
        await Invalid(() => handle.GetPeersAsync(cts.Token));
        await Invalid(() => handle.SetRateLimitsAsync(1, 1, cts.Token));
        await Invalid(() => handle.ConnectPeerAsync(SwarmFixture.EndPointOf(session), cts.Token));
        await Invalid(() => handle.WaitForStateAsync(TorrentState.Seeding, cts.Token));
        await Invalid(() => session.RemoveTorrentAsync(handle, cancellationToken: cts.Token));

        // The files stay (no DeleteFiles) and the torrent can be added again with a new, valid handle.
        Assert.True(File.Exists(Path.Combine(folder, "pack", "a.bin")));
        var again = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = folder });
        Assert.True(again.IsValid);
        Assert.False(handle.IsValid);
        await again.WaitForStateAsync(TorrentState.Seeding, cts.Token);
    }

    [Fact]
    public async Task A_second_connection_from_the_same_peer_id_is_dropped()
    {
        await using var swarm = new SwarmFixture();
        var folder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(folder, "pack", [("a.bin", 100_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var session = await swarm.StartSessionAsync(AllAlerts);
        var seed = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = folder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var id = PeerId.Generate("-FK0001-");
        using var first = await FakePeer.ConnectAsync(SwarmFixture.EndPointOf(session), torrent, id, cts.Token);
        await seed.WaitForAsync(s => s.PeerCount == 1, cts.Token);
        using var second = await FakePeer.ConnectAsync(SwarmFixture.EndPointOf(session), torrent, id, cts.Token);

        Assert.True(await FakePeer.WaitClosedAsync(second, cts.Token), "the duplicate connection stayed open");
        var seen = new List<Alert>();
        await SwarmFixture.WaitForAlertAsync<PeerDisconnectedAlert>(session, seen, a => a.Error == ErrorCode.DuplicateConnection, cts.Token);
        Assert.Single(seen.OfType<PeerConnectedAlert>());

        // The first connection is untouched.
        var peer = Assert.Single(await seed.GetPeersAsync(cts.Token));
        Assert.Equal(first.LocalEndPoint, peer.EndPoint);
        Assert.Equal(Convert.ToHexString(id.ToArray()).ToLowerInvariant(), peer.PeerId);
        Assert.Equal("Unknown", peer.Client.Split(' ')[0]);
    }

    [Fact]
    public async Task Dialling_our_own_endpoint_never_makes_a_connection()
    {
        await using var swarm = new SwarmFixture();
        var folder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(folder, "pack", [("a.bin", 100_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var session = await swarm.StartSessionAsync(AllAlerts);
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("download") });
        await handle.WaitForStateAsync(TorrentState.Downloading, cts.Token);

        await handle.ConnectPeerAsync(SwarmFixture.EndPointOf(session), cts.Token);

        var seen = new List<Alert>();
        await SwarmFixture.WaitForAlertAsync<PeerDisconnectedAlert>(session, seen, a => a.Error == ErrorCode.SelfConnection, cts.Token);
        Assert.Empty(seen.OfType<PeerConnectedAlert>());
        var status = await handle.GetStatusAsync(cts.Token);
        Assert.Equal(0, status.PeerCount);

        // The candidate is marked so the engine does not keep dialling itself.
        await Task.Delay(1500, cts.Token);
        seen.AddRange(session.PopAlerts());
        Assert.Empty(seen.OfType<PeerConnectedAlert>());
        Assert.True(seen.OfType<PeerDisconnectedAlert>().Count(a => a.Error == ErrorCode.SelfConnection) <= 2);
        Assert.Empty(await handle.GetPeersAsync(cts.Token));
    }
}
