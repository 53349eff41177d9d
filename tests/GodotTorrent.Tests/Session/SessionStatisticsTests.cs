using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GodotTorrent.Alerts;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Session;

/// <summary>Session counters are real: each one moves when what it counts happens.</summary>
public class SessionStatisticsTests
{
    private static async Task<SessionStatistics> WaitForStatsAsync(TorrentSession session, Func<SessionStatistics, bool> predicate, CancellationToken cancellationToken)
    {
        while (true)
        {
            var stats = await session.GetStatisticsAsync(cancellationToken);
            if (predicate(stats))
            {
                return stats;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    [Fact]
    public async Task A_transfer_moves_the_byte_piece_disk_connection_and_torrent_counters()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 600_000), ("b.bin", 300_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var seeder = await swarm.StartSessionAsync();
        var leecher = await swarm.StartSessionAsync();
        var before = await leecher.GetStatisticsAsync(cts.Token);
        Assert.Equal(0, before.Torrents);
        Assert.Equal(0, before.PayloadBytesDownloaded);
        Assert.Equal(0, before.DiskBytesWritten);
        Assert.Equal(0, before.PiecesVerified);

        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        var seederChecked = await seeder.GetStatisticsAsync(cts.Token);
        Assert.True(seederChecked.DiskBytesRead >= torrent.TotalSize, "checking the seed's files reads them");
        Assert.Equal(1, seederChecked.TorrentsSeeding);

        var download = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("download"), Peers = [SwarmFixture.EndPointOf(seeder)] });
        await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var rates = await WaitForStatsAsync(leecher, s => s.DownloadRate > 0, cts.Token);
        Assert.True(rates.DownloadRate > 0);
        var got = await leecher.GetStatisticsAsync(cts.Token);
        Assert.InRange(got.PayloadBytesDownloaded, torrent.TotalSize, torrent.TotalSize * 2);
        Assert.True(got.BytesDownloaded > got.PayloadBytesDownloaded, "wire bytes include protocol overhead");
        Assert.True(got.BytesUploaded > 0, "handshakes and requests were sent");
        Assert.Equal(torrent.PieceCount, got.PiecesVerified);
        Assert.True(got.DiskBytesWritten >= torrent.TotalSize);
        Assert.Equal(0, got.HashFailures);
        Assert.True(got.OutgoingConnections >= 1);
        Assert.True(got.KnownPeers >= 1);
        Assert.Equal(1, got.Torrents);
        Assert.Equal(1, got.TorrentsSeeding);
        Assert.Equal(0, got.TorrentsDownloading);
        Assert.Equal(0, got.TorrentsChecking);
        Assert.Equal(0, got.TorrentsPaused);
        Assert.Equal(0, got.TorrentsError);
        Assert.Equal(0, got.TorrentsQueued);
        Assert.InRange(got.DiskQueueBytes, 0, torrent.TotalSize);
        Assert.True(got.Uptime > TimeSpan.Zero);
        Assert.Equal(0, got.AlertsDropped);

        var sent = await WaitForStatsAsync(seeder, s => s.PayloadBytesUploaded >= torrent.TotalSize, cts.Token);
        Assert.True(sent.IncomingConnections >= 1);
        Assert.True(sent.BytesUploaded > sent.PayloadBytesUploaded);
        Assert.True(sent.DiskBytesRead >= 2 * torrent.TotalSize, "uploads read from disk on top of the check");
        Assert.True(sent.ToDictionary().Count >= 30);

        // Bytes stay counted once the connection and even the torrent are gone.
        await leecher.RemoveTorrentAsync(download, cancellationToken: cts.Token);
        var after = await leecher.GetStatisticsAsync(cts.Token);
        Assert.Equal(0, after.Torrents);
        Assert.Equal(0, after.PeersConnected);
        Assert.True(after.PayloadBytesDownloaded >= got.PayloadBytesDownloaded);
        Assert.True(after.BytesDownloaded >= got.BytesDownloaded);
    }

    [Fact]
    public async Task A_corrupt_peer_moves_hash_failures_bans_and_failed_bytes()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 500_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var bad = new FakePeer(torrent, (piece, begin, length) =>
        {
            var data = new byte[length];
            new Random(piece * 31 + begin).NextBytes(data);
            return data;
        });

        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { MaxHashFailuresPerPeer = 1 });
        await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("download"), Peers = [bad.EndPoint] });

        var stats = await WaitForStatsAsync(leecher, s => s.PeersBanned >= 1, cts.Token);
        Assert.True(stats.HashFailures >= 1);
        Assert.True(stats.FailedBytes > 0);
        Assert.Equal(0, stats.PiecesVerified);
        Assert.True(stats.OutgoingConnections >= 1);
        Assert.Equal(1, stats.TorrentsDownloading);
    }

    [Fact]
    public async Task Protocol_errors_connect_failures_and_incoming_connections_are_counted()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 100_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var session = await swarm.StartSessionAsync();
        var seed = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        using var socket = await FakePeer.ConnectAsync(SwarmFixture.EndPointOf(session), torrent, PeerId.Generate("-FK0001-"), cts.Token);
        var huge = new byte[5];
        BinaryPrimitives.WriteInt32BigEndian(huge, 0x7FFFFFF0);
        huge[4] = 7;
        await socket.SendAsync(huge, cts.Token);
        var stats = await WaitForStatsAsync(session, s => s.ProtocolErrors >= 1, cts.Token);
        Assert.True(stats.IncomingConnections >= 1);

        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var other = await swarm.StartSessionAsync();
        var magnetLike = await other.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("other") });
        await magnetLike.WaitForStateAsync(TorrentState.Downloading, cts.Token);
        await magnetLike.ConnectPeerAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        var failed = await WaitForStatsAsync(other, s => s.ConnectFailures >= 1, cts.Token);
        Assert.Equal(0, failed.HalfOpenConnections);
    }

    [Fact]
    public async Task Alerts_dropped_paused_torrents_and_PostSessionStats_are_reported()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 200_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var session = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All, AlertQueueCapacity = 2 });
        var seed = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        await seed.PauseAsync(cts.Token);

        var stats = await session.GetStatisticsAsync(cts.Token);
        Assert.True(stats.AlertsDropped > 0);
        Assert.Equal(1, stats.TorrentsPaused);
        Assert.Equal(1, stats.TorrentsSeeding);

        session.ClearAlerts();
        session.PostSessionStats();
        var seen = new List<Alert>();
        var alert = await SwarmFixture.WaitForAlertAsync<SessionStatsAlert>(session, seen, _ => true, cts.Token);
        Assert.Equal(1, alert.Statistics.Torrents);
        Assert.Equal("session_stats", alert.TypeName);
    }

    [Fact]
    public async Task PostTorrentUpdates_reports_changed_torrents_and_an_empty_list_when_nothing_changed()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var first = await swarm.CreateContentAsync(seedFolder, "one", [("a.bin", 100_000)], seed: 1);
        var second = await swarm.CreateContentAsync(seedFolder, "two", [("b.bin", 100_000)], seed: 2);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var session = await swarm.StartSessionAsync();
        var one = await session.AddTorrentAsync(new AddTorrentParams { Torrent = first, SavePath = seedFolder });
        var two = await session.AddTorrentAsync(new AddTorrentParams { Torrent = second, SavePath = seedFolder });
        await one.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        await two.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        session.ClearAlerts();

        var seen = new List<Alert>();
        session.PostTorrentUpdates();
        var all = await SwarmFixture.WaitForAlertAsync<StateUpdateAlert>(session, seen, _ => true, cts.Token);
        Assert.Equal(2, all.Statuses.Count);

        session.PostTorrentUpdates();
        var none = await SwarmFixture.WaitForAlertAsync<StateUpdateAlert>(session, seen, a => !ReferenceEquals(a, all), cts.Token);
        Assert.Empty(none.Statuses);

        await two.PauseAsync(cts.Token);
        session.PostTorrentUpdates();
        var changed = await SwarmFixture.WaitForAlertAsync<StateUpdateAlert>(session, seen, a => !ReferenceEquals(a, all) && !ReferenceEquals(a, none), cts.Token);
        var status = Assert.Single(changed.Statuses);
        Assert.Equal(second.InfoHashes, status.InfoHashes);
        Assert.True(status.IsPaused);
    }
}
