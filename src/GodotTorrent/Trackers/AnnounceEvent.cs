namespace GodotTorrent.Trackers;

/// <summary>
/// The <c>event</c> of a tracker announce (BEP 3). The values are the UDP tracker protocol's
/// (BEP 15) so they go on the wire as they are.
/// </summary>
public enum AnnounceEvent
{
    /// <summary>A regular announce at the tracker's interval.</summary>
    None = 0,
    /// <summary>The download finished.</summary>
    Completed = 1,
    /// <summary>The first announce of a torrent that starts.</summary>
    Started = 2,
    /// <summary>The torrent stops: the tracker can forget this peer.</summary>
    Stopped = 3,
}
