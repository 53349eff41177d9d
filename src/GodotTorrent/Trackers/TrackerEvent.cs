using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Trackers;

/// <summary>
/// Something that happened with one tracker during an announce or scrape, returned as data so
/// the engine loop can post the matching alert (<see cref="ToAlert"/>) on its own thread.
/// </summary>
internal sealed record TrackerEvent(string Url, TrackerEventKind Kind)
{
    public AnnounceEvent Event { get; init; }

    /// <summary>Peers in the reply (<see cref="TrackerEventKind.Reply"/>).</summary>
    public int PeerCount { get; init; }

    /// <summary>Failures in a row, this one included (<see cref="TrackerEventKind.Error"/>).</summary>
    public int TimesInARow { get; init; }

    public int HttpStatus { get; init; }

    public ErrorCode Error { get; init; }

    /// <summary>The error or warning text.</summary>
    public string Message { get; init; } = string.Empty;

    public int Complete { get; init; }

    public int Incomplete { get; init; }

    /// <summary>The alert for this event about the torrent behind <paramref name="handle"/>.</summary>
    public TorrentAlert ToAlert(TorrentHandle handle) => Kind switch
    {
        TrackerEventKind.Announce => new TrackerAnnounceAlert(handle, Url, Event),
        TrackerEventKind.Reply => new TrackerReplyAlert(handle, Url, PeerCount),
        TrackerEventKind.Warning => new TrackerWarningAlert(handle, Url, Message),
        TrackerEventKind.Error => new TrackerErrorAlert(handle, Url, TimesInARow, HttpStatus, Error, Message),
        TrackerEventKind.ScrapeReply => new ScrapeReplyAlert(handle, Url, Complete, Incomplete),
        _ => new ScrapeFailedAlert(handle, Url, Error, Message),
    };
}
