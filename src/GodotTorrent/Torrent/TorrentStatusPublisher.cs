using GodotTorrent.Peers;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Session;

namespace GodotTorrent.Torrent;

/// <summary>
/// The torrent's published status: the latest snapshot (read off the loop), the waiters watching
/// it, and the tick's refresh that skips rebuilding an idle torrent's snapshot.
/// </summary>
internal sealed class TorrentStatusPublisher(
    Func<TorrentStatusBuilder> createBuilder,
    Dictionary<int, PeerConnection> peers,
    PeerList peerList,
    TimeProvider time)
{
    // An idle torrent's snapshot differs from the last one only in its clocks (active and seeding
    // time). Rebuilding it every second for each of 1,000 idle torrents was most of what an idle
    // session allocated, and with a GC that collects rarely that became RSS (step 08 item 6).
    private static readonly TimeSpan IdleStatusInterval = TimeSpan.FromSeconds(30);

    private readonly StatusWaiters _waiters = new();
    private TorrentStatusBuilder? _builder;
    private volatile TorrentStatus? _latest;
    private StatusFingerprint _fingerprint;
    private int _connectCandidates;
    private DateTimeOffset _builtAt;

    public TorrentStatus Latest => _latest!;

    /// <summary>The last snapshot's pieces; null while the first snapshot is being built.</summary>
    public Bitfield? LastPieces => _latest?.Pieces;

    // Built on first use: the builder reads the torrent, which is still being constructed.
    private TorrentStatusBuilder Builder => _builder ??= createBuilder();

    /// <summary>The first snapshot, taken when the torrent is added: nobody is waiting yet.</summary>
    public void Initialize() => _latest = Builder.Build();

    public StatusFingerprint Fingerprint() => Builder.Fingerprint();

    public TorrentStatus Refresh()
    {
        var status = Builder.Build();
        _latest = status;
        _fingerprint = Builder.Fingerprint();
        _connectCandidates = status.ConnectCandidates;
        _builtAt = time.GetUtcNow();
        _waiters.Notify(status);
        return status;
    }

    /// <summary>
    /// The tick's refresh: skipped while nothing but the clocks moved (no peers, no waiters, the same
    /// fingerprint), so the clocks of an idle torrent's <see cref="Latest"/> lag by up to
    /// <see cref="IdleStatusInterval"/>; <see cref="TorrentHandle.GetStatusAsync"/> is always fresh.
    /// </summary>
    public void RefreshIfChanged(DateTimeOffset now)
    {
        if (peers.Count == 0 && _waiters.Count == 0 && now - _builtAt < IdleStatusInterval
            && peerList.CountDialable(now) == _connectCandidates && Builder.Fingerprint() == _fingerprint)
        {
            return;
        }

        Refresh();
    }

    public Task<TorrentStatus> WaitForAsync(Func<TorrentStatus, bool> predicate, CancellationToken cancellationToken)
    {
        var status = Refresh();
        if (predicate(status))
        {
            return Task.FromResult(status);
        }

        return _waiters.Add(predicate, cancellationToken);
    }

    public void FailAll(Exception error) => _waiters.FailAll(error);
}
