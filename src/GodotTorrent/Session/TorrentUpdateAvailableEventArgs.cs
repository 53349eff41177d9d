using GodotTorrent.Alerts;

namespace GodotTorrent.Session;

/// <summary>The data of <see cref="TorrentSession.TorrentUpdateAvailable"/>: the same as the alert's.</summary>
/// <param name="alert">The alert posted for the same update.</param>
public sealed class TorrentUpdateAvailableEventArgs(TorrentUpdateAvailableAlert alert) : EventArgs
{
    /// <summary>The update: the following torrent, old and new info-hash, sequence number and a magnet of the new version.</summary>
    public TorrentUpdateAvailableAlert Update { get; } = alert;
}
