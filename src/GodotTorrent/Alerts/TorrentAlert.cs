using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>An alert about one torrent.</summary>
public abstract record TorrentAlert(TorrentHandle Handle) : Alert
{
    /// <summary>The torrent's info-hashes.</summary>
    public InfoHashes InfoHashes => Handle.InfoHashes;

    /// <summary>The torrent's name when the alert was made.</summary>
    public string TorrentName { get; init; } = Handle.Name;
}
