using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>
/// Real sockets: a hand-written peer reads the extension handshake (BEP 10) off TCP. Magnets and
/// peer exchange between sessions run on the simulation (SimulatedMagnetAndPexTests).
/// </summary>
public class MagnetAndPexTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

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
