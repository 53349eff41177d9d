namespace GodotTorrent.Integration;

/// <summary>
/// The snake_case names of the signals a Godot <c>TorrentSessionNode</c> emits (the original
/// GDExtension's vocabulary). The node declares each as a C# <c>[Signal]</c> in PascalCase.
/// </summary>
public static class SignalNames
{
    /// <summary><c>(info_hash: String, name: String)</c>: a torrent was added.</summary>
    public const string TorrentAdded = "torrent_added";

    /// <summary><c>(info_hash: String, name: String)</c>: a torrent was removed.</summary>
    public const string TorrentRemoved = "torrent_removed";

    /// <summary><c>(info_hash: String)</c>: a torrent was paused.</summary>
    public const string TorrentPaused = "torrent_paused";

    /// <summary><c>(info_hash: String)</c>: a torrent was resumed.</summary>
    public const string TorrentResumed = "torrent_resumed";

    /// <summary><c>(info_hash: String, name: String)</c>: a magnet link's metadata arrived.</summary>
    public const string MetadataReceived = "metadata_received";

    /// <summary><c>(info_hash: String, state: String, previous_state: String)</c>, states as in <see cref="Session.TorrentStatus.StateName"/>.</summary>
    public const string StateChanged = "state_changed";

    /// <summary><c>(info_hash: String, name: String)</c>: every wanted piece is downloaded and verified.</summary>
    public const string TorrentFinished = "torrent_finished";

    /// <summary><c>(info_hash: String, error_code: int, message: String)</c>: the torrent stopped with an error.</summary>
    public const string TorrentError = "torrent_error";

    /// <summary><c>(info_hash: String, url: String, error_code: int, message: String)</c>: a tracker announce failed.</summary>
    public const string TrackerError = "tracker_error";

    /// <summary><c>(info_hash: String, address: String, client: String)</c>: a peer connection completed its handshake.</summary>
    public const string PeerConnected = "peer_connected";

    /// <summary><c>(info_hash: String, address: String, error_code: int, reason: String)</c>: a peer was disconnected.</summary>
    public const string PeerDisconnected = "peer_disconnected";

    /// <summary><c>(info_hash: String, address: String, error_code: int, message: String)</c>: a peer misbehaved.</summary>
    public const string PeerError = "peer_error";

    /// <summary><c>(info_hash: String, address: String, reason: String)</c>: a peer was banned.</summary>
    public const string PeerBanned = "peer_banned";

    /// <summary><c>(info_hash: String, file_index: int, path: String)</c>: one file is complete and verified.</summary>
    public const string FileCompleted = "file_completed";

    /// <summary><c>(info_hash: String, file_index: int, path: String, error_code: int, message: String)</c>: a file could not be read or written.</summary>
    public const string FileError = "file_error";

    /// <summary><c>(info_hash: String, piece_index: int)</c>: a piece was verified (PieceProgress category).</summary>
    public const string PieceFinished = "piece_finished";

    /// <summary><c>(info_hash: String, piece_index: int)</c>: a downloaded piece failed its hash check.</summary>
    public const string HashFailed = "hash_failed";

    /// <summary><c>(address: String)</c>: the session listens on this address.</summary>
    public const string ListenSucceeded = "listen_succeeded";

    /// <summary><c>(address: String, error_code: int, message: String)</c>: the session could not listen on this address.</summary>
    public const string ListenFailed = "listen_failed";

    /// <summary><c>(count: int, by_type: Dictionary)</c>: the alert queue overflowed and dropped the oldest alerts.</summary>
    public const string AlertsDropped = "alerts_dropped";

    /// <summary><c>(info_hash: String, status: Dictionary)</c>: a throttled status snapshot (see <see cref="StatusThrottle"/> and <see cref="VariantSnapshots.Status"/>).</summary>
    public const string StatusUpdated = "status_updated";

    /// <summary><c>(operation: String, error_code: int, message: String)</c>: a GDScript call that runs in the background (add, remove, pause, ...) failed.</summary>
    public const string OperationFailed = "operation_failed";

    /// <summary>A magnet's metadata was invalid: info_hash, error_code, message.</summary>
    public const string MetadataFailed = "metadata_failed";

    /// <summary>A tracker answered: info_hash, url, peer_count.</summary>
    public const string TrackerReply = "tracker_reply";

    /// <summary>A tracker sent a warning: info_hash, url, message.</summary>
    public const string TrackerWarning = "tracker_warning";

    /// <summary>A file was renamed: info_hash, file_index, new_path.</summary>
    public const string FileRenamed = "file_renamed";

    /// <summary>A torrent's files were moved: info_hash, new_save_path.</summary>
    public const string StorageMoved = "storage_moved";

    /// <summary>Any other alert: type_name, info_hash (or empty), message, error_code.</summary>
    public const string Alert = "alert";
}
