using GodotTorrent.Session;

namespace GodotTorrent.Integration;

/// <summary>
/// A session's totals, as Godot's Monitors tab graphs them (<c>Performance.AddCustomMonitor</c>).
/// </summary>
/// <param name="DownloadRate">Bytes per second received, all torrents.</param>
/// <param name="UploadRate">Bytes per second sent, all torrents.</param>
/// <param name="Peers">Connected peers, all torrents.</param>
/// <param name="ActiveTorrents">Torrents neither paused, queued nor in error.</param>
public sealed record SessionTotals(long DownloadRate, long UploadRate, long Peers, long ActiveTorrents)
{
    /// <summary>No torrents.</summary>
    public static SessionTotals Zero { get; } = new(0, 0, 0, 0);

    /// <summary>The totals of <paramref name="statuses"/>.</summary>
    public static SessionTotals From(IEnumerable<TorrentStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        long down = 0, up = 0, peers = 0, active = 0;
        foreach (var status in statuses)
        {
            down += status.DownloadRate;
            up += status.UploadRate;
            peers += status.PeerCount;
            if (!status.IsPaused && !status.IsQueued && status.Error == ErrorCode.None)
            {
                active++;
            }
        }

        return new SessionTotals(down, up, peers, active);
    }

    /// <summary>The sum of two sessions' totals.</summary>
    public SessionTotals Add(SessionTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(DownloadRate + other.DownloadRate, UploadRate + other.UploadRate, Peers + other.Peers, ActiveTorrents + other.ActiveTorrents);
    }
}
