namespace GodotTorrent.Torrent;

/// <summary>What each <see cref="TorrentPhase"/> allows; the one place the runtime asks.</summary>
internal static class TorrentPhaseRules
{
    /// <summary>Connecting to peers: to fetch metadata, or to transfer once the files are checked.</summary>
    public static bool AllowsDialling(this TorrentPhase phase) => phase is TorrentPhase.Metadata or TorrentPhase.Active;

    /// <summary>Accepting incoming peers: also while checking, so the peers are there when it ends.</summary>
    public static bool AllowsAcceptingPeers(this TorrentPhase phase) => phase is TorrentPhase.Metadata or TorrentPhase.Checking or TorrentPhase.Active;

    /// <summary>Asking peers for blocks.</summary>
    public static bool AllowsRequesting(this TorrentPhase phase) => phase is TorrentPhase.Active;

    /// <summary>Serving blocks peers asked for (only pieces we have, so checking serves what is verified).</summary>
    public static bool AllowsUploading(this TorrentPhase phase) => phase is TorrentPhase.Checking or TorrentPhase.Active;

    /// <summary>Announcing to trackers and the DHT.</summary>
    public static bool AllowsAnnouncing(this TorrentPhase phase) => phase is TorrentPhase.Metadata or TorrentPhase.Active;

    /// <summary>Counting active time (and seeding time): every phase in which the torrent runs.</summary>
    public static bool IsRunning(this TorrentPhase phase) => phase is TorrentPhase.Metadata or TorrentPhase.Checking or TorrentPhase.Active;
}
