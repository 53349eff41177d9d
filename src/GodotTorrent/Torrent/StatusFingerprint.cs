using GodotTorrent.Session;

namespace GodotTorrent.Torrent;

/// <summary>
/// A cheap summary of what a UI shows; <c>PostTorrentUpdates</c> reports the torrent when it
/// differs from the one of the previous call.
/// </summary>
internal readonly record struct StatusFingerprint(
    TorrentState State,
    bool Paused,
    bool Queued,
    bool AutoManaged,
    int QueuePosition,
    int PiecesDone,
    bool HasMetadata,
    long DownloadRate,
    long UploadRate,
    long PayloadDownloaded,
    long PayloadUploaded,
    int Peers,
    int KnownPeers,
    ErrorCode Error,
    string Name,
    string SavePath);
