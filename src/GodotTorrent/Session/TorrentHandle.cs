using System.Net;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Session;

/// <summary>
/// A torrent in a session. Safe to use from any thread: commands are posted to the session's
/// engine loop; queries return immutable snapshots. Once the torrent is removed the handle
/// reports <see cref="IsValid"/> false and its commands throw <see cref="TorrentException"/>
/// with <see cref="ErrorCode.InvalidHandle"/>.
/// </summary>
public sealed class TorrentHandle
{
    private readonly TorrentRuntime _runtime;

    internal TorrentHandle(TorrentRuntime runtime) => _runtime = runtime;

    /// <summary>The torrent's info-hashes.</summary>
    public InfoHashes InfoHashes => _runtime.InfoHashes;

    /// <summary>The torrent's name.</summary>
    public string Name => _runtime.Name;

    /// <summary>The torrent's metadata, or null while a magnet link's metadata is being fetched.</summary>
    public TorrentInfo? TorrentInfo => _runtime.Torrent;

    /// <summary>False once the torrent was removed from its session.</summary>
    public bool IsValid => !_runtime.IsRemoved;

    /// <summary>
    /// The latest status snapshot, refreshed by the engine every second and at every state
    /// change. Never blocks; use <see cref="GetStatusAsync"/> for an up-to-the-moment one.
    /// </summary>
    public TorrentStatus Status => _runtime.LatestStatus;

    internal TorrentRuntime Runtime => _runtime;

    /// <summary>A fresh status snapshot taken on the engine loop.</summary>
    public Task<TorrentStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.RefreshStatus(), cancellationToken);

    /// <summary>Snapshots of the connected peers.</summary>
    public Task<IReadOnlyList<PeerInfo>> GetPeersAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.GetPeers(), cancellationToken);

    /// <summary>Disconnects every peer and stops transferring until <see cref="ResumeAsync"/>.</summary>
    public Task PauseAsync(CancellationToken cancellationToken = default) => Invoke(r =>
    {
        r.Pause();
        r.Session.UpdateQueue();
    }, cancellationToken);

    /// <summary>Starts transferring again after a pause.</summary>
    public Task ResumeAsync(CancellationToken cancellationToken = default) => Invoke(r =>
    {
        r.Resume();
        r.Session.UpdateQueue();
    }, cancellationToken);

    /// <summary>Hashes every piece on disk again; completes when the check is done.</summary>
    public Task ForceRecheckAsync(CancellationToken cancellationToken = default) => InvokeAsync(r => r.RecheckAsync(), cancellationToken);

    /// <summary>Sets one file's priority (<see cref="Priority.Skip"/> = do not download).</summary>
    public Task SetFilePriorityAsync(int fileIndex, Priority priority, CancellationToken cancellationToken = default) =>
        InvokeAsync(r => r.SetFilePriorityAsync(fileIndex, priority), cancellationToken);

    /// <summary>Sets every file's priority at once.</summary>
    public Task SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities, CancellationToken cancellationToken = default) =>
        InvokeAsync(r => r.SetFilePrioritiesAsync(priorities), cancellationToken);

    /// <summary>Every file's priority.</summary>
    public Task<IReadOnlyList<Priority>> GetFilePrioritiesAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.GetFilePriorities(), cancellationToken);

    /// <summary>Sets one piece's priority, overriding what its files' priorities imply.</summary>
    public Task SetPiecePriorityAsync(int pieceIndex, Priority priority, CancellationToken cancellationToken = default) =>
        Invoke(r => r.SetPiecePriority(pieceIndex, priority), cancellationToken);

    /// <summary>Downloads pieces in order (for streaming) when true, rarest first when false.</summary>
    public Task SetSequentialDownloadAsync(bool sequential, CancellationToken cancellationToken = default) =>
        Invoke(r => r.SetSequential(sequential), cancellationToken);

    /// <summary>
    /// Dials a peer. Useful for private swarms and for peers that never dial loopback addresses
    /// themselves (a seeder can reach downloaders this way).
    /// </summary>
    public Task ConnectPeerAsync(IPEndPoint endPoint, CancellationToken cancellationToken = default) =>
        Invoke(r => r.AddPeer(endPoint, "manual", connectNow: true), cancellationToken);

    /// <summary>Sets this torrent's upload and download limits in bytes per second (0 = unlimited).</summary>
    public Task SetRateLimitsAsync(long uploadRateLimit, long downloadRateLimit, CancellationToken cancellationToken = default) =>
        Invoke(r => r.SetRateLimits(uploadRateLimit, downloadRateLimit), cancellationToken);

    /// <summary>
    /// Captures resume data: verified pieces, partly downloaded pieces, priorities, file sizes and
    /// times, totals. Pass it in <see cref="AddTorrentParams.ResumeData"/> (or save it with
    /// <see cref="Storage.ResumeDataStore.SaveAsync"/>) so a restart trusts what is verified.
    /// </summary>
    public Task<Storage.ResumeData> SaveResumeDataAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync(r => r.SaveResumeDataAsync(), cancellationToken);

    /// <summary>The torrent's trackers with their state (last error, failures in a row, next announce, scrape counts).</summary>
    public Task<IReadOnlyList<Trackers.TrackerStatus>> GetTrackersAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.GetTrackers(), cancellationToken);

    /// <summary>Adds a tracker in a tier (0 = first) and announces to it soon.</summary>
    public Task AddTrackerAsync(string url, int tier = 0, CancellationToken cancellationToken = default) =>
        Invoke(r => r.AddTracker(url, tier), cancellationToken);

    /// <summary>Removes a tracker; false when it was not there.</summary>
    public Task<bool> RemoveTrackerAsync(string url, CancellationToken cancellationToken = default) =>
        Invoke(r => r.RemoveTracker(url), cancellationToken);

    /// <summary>Replaces every tracker with these tiers (trackers in both keep their state).</summary>
    public Task ReplaceTrackersAsync(IReadOnlyList<IReadOnlyList<string>> tiers, CancellationToken cancellationToken = default) =>
        Invoke(r => r.ReplaceTrackers(tiers), cancellationToken);

    /// <summary>Announces to the trackers now, ignoring their intervals.</summary>
    public Task ForceReannounceAsync(CancellationToken cancellationToken = default) => Invoke(r => r.ForceReannounce(), cancellationToken);

    /// <summary>Asks the trackers for their seed and peer counts (BEP 48); the counts appear in the tracker states.</summary>
    public Task<IReadOnlyList<Trackers.TrackerStatus>> ScrapeAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync(r => r.ScrapeAsync(), cancellationToken);

    /// <summary>Moves the torrent one place up the session's queue (towards running sooner).</summary>
    public Task QueuePositionUpAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.Session.MoveInQueue(r, static (q, t) => q.MoveUp(t)), cancellationToken);

    /// <summary>Moves the torrent one place down the session's queue.</summary>
    public Task QueuePositionDownAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.Session.MoveInQueue(r, static (q, t) => q.MoveDown(t)), cancellationToken);

    /// <summary>Moves the torrent to the head of the session's queue: it gets the first free slot.</summary>
    public Task QueuePositionTopAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.Session.MoveInQueue(r, static (q, t) => q.MoveToTop(t)), cancellationToken);

    /// <summary>Moves the torrent to the end of the session's queue.</summary>
    public Task QueuePositionBottomAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.Session.MoveInQueue(r, static (q, t) => q.MoveToBottom(t)), cancellationToken);

    /// <summary>
    /// Lets the session's queue start and stop the torrent (true) or not (false). A torrent
    /// that stops being auto-managed while queued starts running unless the app paused it.
    /// </summary>
    public Task SetAutoManagedAsync(bool autoManaged, CancellationToken cancellationToken = default) =>
        Invoke(r => r.Session.SetAutoManaged(r, autoManaged), cancellationToken);

    /// <summary>Completes with the first status that satisfies <paramref name="predicate"/> (checked at every refresh).</summary>
    public Task<TorrentStatus> WaitForAsync(Func<TorrentStatus, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return InvokeAsync(r => r.WaitForAsync(predicate, cancellationToken), cancellationToken);
    }

    /// <summary>Completes when the torrent reaches <paramref name="state"/>.</summary>
    public Task<TorrentStatus> WaitForStateAsync(TorrentState state, CancellationToken cancellationToken = default) =>
        WaitForAsync(s => s.State == state, cancellationToken);

    /// <summary>The name and hash.</summary>
    public override string ToString() => $"{Name} ({InfoHashes.Primary})";

    private Task<T> Invoke<T>(Func<TorrentRuntime, T> action, CancellationToken cancellationToken)
    {
        ThrowIfInvalid();
        return _runtime.Loop.InvokeAsync(() =>
        {
            ThrowIfInvalid();
            return action(_runtime);
        }).WaitAsync(cancellationToken);
    }

    private Task<bool> Invoke(Action<TorrentRuntime> action, CancellationToken cancellationToken) =>
        Invoke(r =>
        {
            action(r);
            return true;
        }, cancellationToken);

    private Task<T> InvokeAsync<T>(Func<TorrentRuntime, Task<T>> action, CancellationToken cancellationToken)
    {
        ThrowIfInvalid();
        return _runtime.Loop.InvokeAsync(() =>
        {
            ThrowIfInvalid();
            return action(_runtime);
        }).WaitAsync(cancellationToken);
    }

    private Task<bool> InvokeAsync(Func<TorrentRuntime, Task> action, CancellationToken cancellationToken) =>
        InvokeAsync(async r =>
        {
            await action(r).ConfigureAwait(true);
            return true;
        }, cancellationToken);

    private void ThrowIfInvalid()
    {
        if (_runtime.IsRemoved)
        {
            throw new TorrentException(ErrorCode.InvalidHandle, $"The torrent {InfoHashes.Primary} was removed from its session.");
        }
    }
}
