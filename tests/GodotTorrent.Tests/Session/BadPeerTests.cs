using GodotTorrent.Alerts;
using GodotTorrent.Session;

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
            Peers = [bad.EndPoint, SwarmFixture.EndPointOf(seeder)],
        });

        var status = await download.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, torrent);
        Assert.True(bad.BlocksServed > 0, "the bad peer was never asked for data");
        var alerts = leecher.PopAlerts();
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
}
