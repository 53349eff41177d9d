using System.Buffers.Binary;
using System.Net.Sockets;
using GodotTorrent.Alerts;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Session;

/// <summary>A peer that sends corrupt blocks is banned, and the download still completes from good peers.</summary>
public class BadPeerTests
{
    private static byte[] Garbage(int piece, int begin, int length)
    {
        var data = new byte[length];
        new Random(piece * 31 + begin).NextBytes(data);
        return data;
    }

    [Fact]
    public async Task A_peer_sending_corrupt_data_is_banned_and_the_download_completes_from_the_good_seed()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 700_000), ("b.bin", 400_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await using var bad = new FakePeer(torrent, Garbage);
        var seeder = await swarm.StartSessionAsync();
        var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { MaxHashFailuresPerPeer = 2, AlertMask = AlertCategory.All });
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = downloadFolder,
            Peers = [bad.EndPoint],
        });

        // The good seed joins only once the bad peer's data has failed a piece: with both from the
        // start, a fast seed can finish before any bad block is written (a loaded CI machine did).
        var alerts = new List<Alert>();
        await SwarmFixture.WaitForAlertAsync<HashFailedAlert>(leecher, alerts, _ => true, cts.Token);
        await download.ConnectPeerAsync(SwarmFixture.EndPointOf(seeder), cts.Token);
        var status = await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, torrent);
        Assert.True(bad.BlocksServed > 0, "the bad peer was never asked for data");
        alerts.AddRange(leecher.PopAlerts());
        var bans = alerts.OfType<PeerBanAlert>().ToList();
        Assert.Contains(bans, b => b.EndPoint.Equals(bad.EndPoint));
        Assert.DoesNotContain(bans, b => b.EndPoint.Equals(SwarmFixture.EndPointOf(seeder)));
        Assert.NotEmpty(alerts.OfType<HashFailedAlert>());
        Assert.True(status.TotalFailedBytes > 0);
        Assert.DoesNotContain(await download.GetPeersAsync(cts.Token), p => p.EndPoint.Equals(bad.EndPoint));

        // The ban holds: asking to connect again does not bring the peer back.
        await download.ConnectPeerAsync(bad.EndPoint, cts.Token);
        await Task.Delay(1000, cts.Token);
        Assert.DoesNotContain(await download.GetPeersAsync(cts.Token), p => p.EndPoint.Equals(bad.EndPoint));
    }

    [Fact]
    public async Task Blocks_nobody_asked_for_are_never_written_and_a_flood_of_them_drops_the_peer_for_breaking_the_protocol()
    {
        await using var swarm = new SwarmFixture();
        var torrent = await swarm.CreateContentAsync(swarm.Folder("seed"), "pack", [("a.bin", 700_000)]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All });
        var downloadFolder = swarm.Folder("download");
        var download = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = downloadFolder });
        await download.WaitForStateAsync(TorrentState.Downloading, cts.Token);

        // No bitfield, so nothing is ever requested from us: every block sent is unrequested.
        using var socket = await FakePeer.ConnectAsync(SwarmFixture.EndPointOf(leecher), torrent, PeerId.Generate("-FK0003-"), cts.Token);
        const int Block = 16 * 1024;
        var message = new byte[13 + Block];
        new Random(3).NextBytes(message);
        try
        {
            for (int i = 0; i < 40; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(message, 9 + Block);
                message[4] = (byte)PeerMessageType.Piece;
                BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(5), i / 2);
                BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(9), (i % 2) * Block);
                await socket.SendAsync(message, cts.Token);
            }
        }
        catch (SocketException)
        {
            // Dropped while sending: what the test wants.
        }

        Assert.True(await FakePeer.WaitClosedAsync(socket, cts.Token), "a peer flooding unrequested blocks was not disconnected");
        var seen = new List<Alert>();
        var error = await SwarmFixture.WaitForAlertAsync<PeerErrorAlert>(leecher, seen, _ => true, cts.Token);
        Assert.Equal(ErrorCode.UnexpectedMessage, error.Error);
        var status = await download.GetStatusAsync(cts.Token);
        Assert.Equal(0, status.PiecesDone);
        Assert.InRange(status.TotalRedundantBytes, 9L * Block, 40L * Block);
        var file = Path.Combine(downloadFolder, "pack", "a.bin");
        Assert.True(!File.Exists(file) || File.ReadAllBytes(file).All(b => b == 0), "an unrequested block was written");
    }
}
