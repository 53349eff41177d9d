namespace GodotTorrent.Torrent;

/// <summary>
/// Where a torrent is in its life. One phase at a time, derived by <see cref="TorrentLifecycle"/>;
/// what each phase allows is in <see cref="TorrentPhaseRules"/>.
/// </summary>
internal enum TorrentPhase
{
    /// <summary>A magnet link without its info dictionary yet: peers are dialled to fetch it.</summary>
    Metadata,

    /// <summary>The files are being checked (or waiting for that); nothing is requested yet.</summary>
    Checking,

    /// <summary>Downloading or seeding.</summary>
    Active,

    /// <summary>Paused by the app.</summary>
    Paused,

    /// <summary>Held back by the session's queue, waiting for a slot.</summary>
    Queued,

    /// <summary>Stopped on an error until the app resumes it or clears the error.</summary>
    Error,

    /// <summary>Removed, or the session is stopping: nothing more happens.</summary>
    Stopped,
}
