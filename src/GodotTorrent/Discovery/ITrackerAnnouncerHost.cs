using GodotTorrent.Session;
using GodotTorrent.Trackers;

namespace GodotTorrent.Discovery;

/// <summary>What <see cref="TrackerAnnouncer"/> needs of the torrent it announces. Engine loop only.</summary>
internal interface ITrackerAnnouncerHost
{
    TorrentHandle Handle { get; }

    /// <summary>True while the torrent's phase lets it announce.</summary>
    bool MayAnnounce { get; }

    /// <summary>True once the torrent stopped: late announce answers deliver no peers.</summary>
    bool IsStopped { get; }

    /// <summary>What the torrent moved so far and has left, as trackers are told.</summary>
    TransferStats TransferStats { get; }
}
