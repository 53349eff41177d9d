using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>Creates <see cref="MemoryStorage"/>s, for tests and for streaming without a disk.</summary>
public sealed class MemoryStorageFactory : IPieceStorageFactory
{
    /// <inheritdoc/>
    public IPieceStorage Create(TorrentInfo torrent, string savePath) => new MemoryStorage(torrent, savePath);
}
