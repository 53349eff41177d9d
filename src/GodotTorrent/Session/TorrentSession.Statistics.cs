using GodotTorrent.Alerts;
using GodotTorrent.Torrent;

namespace GodotTorrent.Session;

/// <summary>Session statistics and the torrent updates a UI polls.</summary>
public sealed partial class TorrentSession
{
    private readonly SessionCounters _counters = new();
    private readonly Dictionary<TorrentRuntime, Torrent.StatusFingerprint> _reported = [];
    private readonly SessionStatisticsBuilder _statistics = new();

    internal SessionCounters Counters => _counters;

    internal DateTimeOffset StartedAt { get; private set; }

    /// <summary>A snapshot of every session counter, taken on the engine loop.</summary>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public Task<SessionStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        Loop.InvokeAsync(BuildStatistics).WaitAsync(cancellationToken);

    /// <summary>
    /// Fresh status snapshots of every torrent, in the order they were added, taken in one visit
    /// to the engine loop (libtorrent's <c>get_torrent_status</c>): cheaper than a
    /// <see cref="TorrentHandle.GetStatusAsync"/> per torrent when a UI lists hundreds of them.
    /// </summary>
    public Task<IReadOnlyList<TorrentStatus>> GetTorrentStatusesAsync(CancellationToken cancellationToken = default) =>
        Loop.InvokeAsync(() => (IReadOnlyList<TorrentStatus>)_torrents.ConvertAll(t => t.RefreshStatus())).WaitAsync(cancellationToken);

    /// <summary>
    /// Posts a <see cref="SessionStatsAlert"/> with a snapshot of every counter (the original
    /// API's <c>post_session_stats</c>). Returns at once; the alert follows from the engine loop.
    /// Enable <see cref="AlertCategory.Stats"/> in the alert mask to receive it.
    /// </summary>
    public void PostSessionStats() => Loop.Post(_ => Alerts.Post(new SessionStatsAlert(BuildStatistics())), null);

    /// <summary>
    /// Posts one <see cref="StateUpdateAlert"/> holding status snapshots of the torrents whose
    /// status changed since the previous call (every torrent on the first call). As libtorrent's
    /// <c>post_torrent_updates</c>, the alert is posted even when nothing changed (with an empty
    /// list), so a UI that waits for it is never left hanging. "Changed" compares a cheap
    /// fingerprint: state, paused and queued flags, queue position, pieces, rates, payload
    /// totals, peers, error, name and save path. Needs <see cref="AlertCategory.Status"/>.
    /// </summary>
    public void PostTorrentUpdates() => Loop.Post(_ => Alerts.Post(new StateUpdateAlert(CollectTorrentUpdates())), null);

    private List<TorrentStatus> CollectTorrentUpdates()
    {
        var changed = new List<TorrentStatus>();
        foreach (var torrent in _torrents)
        {
            var fingerprint = torrent.Fingerprint();
            if (_reported.TryGetValue(torrent, out var previous) && previous == fingerprint)
            {
                continue;
            }

            _reported[torrent] = fingerprint;
            changed.Add(torrent.RefreshStatus());
        }

        foreach (var gone in _reported.Keys.Where(t => t.IsRemoved).ToList())
        {
            _reported.Remove(gone);
        }

        return changed;
    }

    private void Retire(TorrentRuntime torrent)
    {
        _statistics.Retire(torrent);
        _reported.Remove(torrent);
    }

    private SessionStatistics BuildStatistics() => _statistics.Build(
        _torrents, Time.GetUtcNow(), StartedAt, HalfOpen, _counters, Utp.Sockets.Sum(s => s.Statistics.Dropped),
        Disk.BufferedBytes, Alerts.DroppedCount, Dht.Statistics);
}
