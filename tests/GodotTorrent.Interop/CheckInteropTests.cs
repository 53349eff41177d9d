using GodotTorrent.Interop.Harness;
using GodotTorrent.Storage;

namespace GodotTorrent.Interop;

/// <summary>
/// Our checker against libtorrent's recheck on the same damaged data: pieces corrupted on
/// purpose, a file deleted, a file truncated. The have-bitfields must be identical.
/// </summary>
public sealed class CheckInteropTests : IDisposable
{
    private const int Seed = 4242;

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(LtVersion.V1, 16384)]
    [InlineData(LtVersion.V2, 16384)]
    [InlineData(LtVersion.Hybrid, 16384)]
    [InlineData(LtVersion.V1, 65536)]
    [InlineData(LtVersion.V2, 65536)]
    [InlineData(LtVersion.Hybrid, 65536)]
    public async Task Damaged_data_gives_the_same_have_bitfield_as_libtorrent(LtVersion version, int pieceSize)
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var torrentPath = _data.PathOf("content.torrent");
        await Libtorrent.CreateAsync(new LtCreateOptions(folder, torrentPath) { PieceSize = pieceSize, Version = version, NoDate = true });

        _data.Corrupt("content/a/b.bin", 30_000);
        _data.Corrupt("content/README.txt", 500);
        File.Delete(_data.PathOf("content/a-c.bin"));
        using (var stream = new FileStream(_data.PathOf("content/z/last.bin"), FileMode.Open))
        {
            stream.SetLength(30_000);
        }

        var reference = await Libtorrent.RecheckAsync(torrentPath, _data.Root);
        var torrent = GodotTorrent.Metainfo.TorrentInfo.Load(torrentPath);
        await using var storage = new FileStorage(torrent, _data.Root);
        var ours = await new TorrentChecker(storage).CheckAsync();

        Assert.Equal(reference.NumPieces, ours.TotalPieces);
        Assert.Equal(reference.Pieces, ours.Pieces.ToString());
        // The damage must show, and so must the intact files, or the comparison proves little.
        Assert.Contains("0", reference.Pieces, StringComparison.Ordinal);
        Assert.Contains("1", reference.Pieces, StringComparison.Ordinal);
        Assert.True(ours.Files.Single(f => f.Path == "content/a/deeper/c.bin").IsComplete);
        Assert.Equal(0, ours.Files.Single(f => f.Path == "content/a-c.bin").ValidBytes);
    }

    [Theory]
    [InlineData(LtVersion.V1)]
    [InlineData(LtVersion.V2)]
    [InlineData(LtVersion.Hybrid)]
    public async Task Intact_data_is_complete_for_both(LtVersion version)
    {
        var folder = _data.CreateNestedFolder("content", Seed);
        var torrentPath = _data.PathOf("content.torrent");
        await Libtorrent.CreateAsync(new LtCreateOptions(folder, torrentPath) { PieceSize = 32768, Version = version, NoDate = true });

        var reference = await Libtorrent.RecheckAsync(torrentPath, _data.Root);
        var torrent = GodotTorrent.Metainfo.TorrentInfo.Load(torrentPath);
        await using var storage = new FileStorage(torrent, _data.Root);
        var ours = await new TorrentChecker(storage).CheckAsync();

        Assert.True(reference.IsComplete, reference.Pieces);
        Assert.True(ours.IsComplete, ours.Pieces.ToString());
    }
}
