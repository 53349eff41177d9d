using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

public class MagnetAndPexTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task A_magnet_with_only_a_peer_fetches_the_metadata_and_downloads(TorrentVersion version)
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 700_000), ("b/c.bin", 300_000)], version: version);
        var seeder = await swarm.StartSessionAsync();
        await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });

        var magnet = MagnetLink.Create(torrent.InfoHashes, "pack", peers: [SwarmFixture.EndPointOf(seeder)]);
        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All });
        var downloadFolder = swarm.Folder("download");
        var handle = await leecher.AddTorrentAsync(new AddTorrentParams { Magnet = MagnetLink.Parse(magnet.ToUri()), SavePath = downloadFolder });
        Assert.Null(handle.TorrentInfo);
        Assert.Equal(TorrentState.DownloadingMetadata, handle.Status.State);

        using var cts = new CancellationTokenSource(Deadline);
        var status = await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        Assert.True(status.HasMetadata);
        Assert.Equal(torrent.InfoHashes, handle.TorrentInfo!.InfoHashes);
        Assert.Contains(leecher.PopAlerts(), a => a is MetadataReceivedAlert);
        SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, torrent);

        // Resume data of a magnet keeps the metadata, so a restart needs no peer to fetch it again.
        var resume = await handle.SaveResumeDataAsync(cts.Token);
        Assert.NotNull(resume.Torrent);
        var restarted = await swarm.StartSessionAsync();
        var again = await restarted.AddTorrentAsync(new AddTorrentParams { Magnet = magnet, SavePath = downloadFolder, ResumeData = resume }, cts.Token);
        Assert.NotNull(again.TorrentInfo);
        await again.WaitForStateAsync(TorrentState.Seeding, cts.Token);
    }

    [Fact]
    public async Task Peer_exchange_introduces_a_peer_known_only_to_a_neighbour()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("a");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 300_000), ("b.bin", 300_000)]);
        var a = await swarm.StartSessionAsync();
        await a.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });

        // B knows A and wants only one file, so it stays a downloader connected to A; C knows only B.
        var b = await swarm.StartSessionAsync();
        var bHandle = await b.AddTorrentAsync(new AddTorrentParams
        {
            Torrent = torrent,
            SavePath = swarm.Folder("b"),
            Peers = [SwarmFixture.EndPointOf(a)],
            FilePriorities = [Priority.Normal, Priority.Skip],
        });
        using var cts = new CancellationTokenSource(Deadline);
        await bHandle.WaitForStateAsync(TorrentState.Finished, cts.Token);
        Assert.Equal(1, (await bHandle.GetStatusAsync(cts.Token)).PeerCount);

        var c = await swarm.StartSessionAsync();
        var cFolder = swarm.Folder("c");
        var cHandle = await c.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = cFolder, Peers = [SwarmFixture.EndPointOf(b)] });

        // Only A has the second file: C finishes only if B's peer exchange told it about A.
        await cHandle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        SwarmFixture.AssertSameFiles(seedFolder, cFolder, torrent);
        Assert.True((await cHandle.GetStatusAsync(cts.Token)).KnownPeerCount >= 2);
    }

    [Fact]
    public async Task A_private_torrent_offers_no_peer_exchange()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var random = new Random(4);
        Directory.CreateDirectory(Path.Combine(seedFolder, "pack"));
        await File.WriteAllBytesAsync(Path.Combine(seedFolder, "pack", "a.bin"), Enumerable.Range(0, 200_000).Select(_ => (byte)random.Next()).ToArray());
        var torrent = await TorrentCreator.CreateAsync(Path.Combine(seedFolder, "pack"), new TorrentCreatorOptions { IsPrivate = true, PieceLength = 32768 });
        var seeder = await swarm.StartSessionAsync();
        await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });

        // A fake peer records our extension handshake.
        using var cts = new CancellationTokenSource(Deadline);
        var handshake = await FakePeer.ReadExtensionHandshakeAsync(SwarmFixture.EndPointOf(seeder), torrent, cts.Token);
        Assert.True(handshake.GetMessageId("ut_metadata") != 0);
        Assert.Equal(0, handshake.GetMessageId("ut_pex"));
        Assert.Equal(torrent.InfoBytes.Length, handshake.MetadataSize);
    }
}
