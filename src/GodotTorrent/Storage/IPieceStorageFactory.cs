using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>Creates the storage of a torrent; the session takes one so backends are pluggable.</summary>
public interface IPieceStorageFactory
{
    /// <summary>Creates (without touching the disk) the storage for <paramref name="torrent"/> under <paramref name="savePath"/>.</summary>
    IPieceStorage Create(TorrentInfo torrent, string savePath);
}
