using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

public sealed class MemoryStorageTests : StorageContractTests
{
    protected override IPieceStorage Create(TorrentInfo torrent) => new MemoryStorageFactory().Create(torrent, SaveFolder);

    [Fact]
    public async Task Move_only_changes_the_save_path()
    {
        var torrent = Layout("v1");
        await using var storage = Create(torrent);
        await WriteAllAsync(storage, StorageTorrents.PieceSpaceContent(torrent, 1), 1);
        long reported = 0;

        await storage.MoveAsync("elsewhere", new Progress<long>(v => reported = v));

        Assert.Equal("elsewhere", storage.SavePath);
        Assert.True(storage.GetFileState(0).Exists);
    }
}
