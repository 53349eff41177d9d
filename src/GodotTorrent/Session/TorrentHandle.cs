using System.Net;
using GodotTorrent.Metainfo;
using GodotTorrent.Torrent;

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

    // A string reference read off the loop: it is replaced whole when storage moves.
    internal string CurrentSavePath => _runtime.SavePath;

    /// <summary>False once the torrent was removed from its session.</summary>
    public bool IsValid => !_runtime.IsRemoved;

    /// <summary>
    /// The latest status snapshot, refreshed by the engine every second while anything in it moves
    /// and at every state change; an idle torrent's (no peers, nothing changing) is refreshed every
    /// 30 seconds, so only its time counters lag. Never blocks; use <see cref="GetStatusAsync"/> for
    /// an up-to-the-moment one. Once the torrent is removed (or its session disposed) it stays the
    /// last snapshot taken before, whatever state that was in: check <see cref="IsValid"/> first.
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

    /// <summary>Every piece's priority (empty until the metadata is known).</summary>
    public Task<IReadOnlyList<Priority>> GetPiecePrioritiesAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.GetPiecePriorities(), cancellationToken);

    /// <summary>Sets every piece's priority at once (one per piece).</summary>
    public Task SetPiecePrioritiesAsync(IReadOnlyList<Priority> priorities, CancellationToken cancellationToken = default) =>
        Invoke(r => r.SetPiecePriorities(priorities), cancellationToken);

    /// <summary>
    /// The BEP 19 web seed URLs of the torrent (from the metadata, the magnet and the app). They
    /// are kept and saved in resume data; downloading from web seeds comes in a later step.
    /// </summary>
    public Task<IReadOnlyList<string>> GetWebSeedsAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.GetWebSeeds(), cancellationToken);

    /// <summary>Adds a web seed URL (http or https).</summary>
    public Task AddWebSeedAsync(string url, CancellationToken cancellationToken = default) =>
        Invoke(r => r.AddWebSeed(url), cancellationToken);

    /// <summary>Removes a web seed URL; false when it was not there.</summary>
    public Task<bool> RemoveWebSeedAsync(string url, CancellationToken cancellationToken = default) =>
        Invoke(r => r.RemoveWebSeed(url), cancellationToken);

    /// <summary>One piece's priority (0 = not downloaded).</summary>
    public Task<Priority> GetPiecePriorityAsync(int pieceIndex, CancellationToken cancellationToken = default) =>
        Invoke(r => r.GetPiecePriority(pieceIndex), cancellationToken);

    /// <summary>Sets one piece's priority, overriding what its files' priorities imply.</summary>
    public Task SetPiecePriorityAsync(int pieceIndex, Priority priority, CancellationToken cancellationToken = default) =>
        Invoke(r => r.SetPiecePriority(pieceIndex, priority), cancellationToken);

    /// <summary>Downloads pieces in order (for streaming) when true, rarest first when false.</summary>
    public Task SetSequentialDownloadAsync(bool sequential, CancellationToken cancellationToken = default) =>
        Invoke(r => r.SetSequential(sequential), cancellationToken);

    /// <summary>
    /// Dials a peer. Useful for private swarms and for peers that never dial loopback addresses
    /// themselves (a seeder can reach downloaders this way). Earlier failed dials are forgiven,
    /// but a banned peer is not dialled, nor one still backing off after breaking the protocol.
    /// </summary>
    public Task ConnectPeerAsync(IPEndPoint endPoint, CancellationToken cancellationToken = default) =>
        Invoke(r => r.AddPeer(endPoint, Peers.PeerSource.Manual, connectNow: true), cancellationToken);

    /// <summary>Sets this torrent's upload and download limits in bytes per second (0 = unlimited).</summary>
    public Task SetRateLimitsAsync(long uploadRateLimit, long downloadRateLimit, CancellationToken cancellationToken = default) =>
        Invoke(r => r.SetRateLimits(uploadRateLimit, downloadRateLimit), cancellationToken);

    /// <summary>
    /// Sets this torrent's seeding goals, overriding <see cref="SessionSettings.ShareRatioLimit"/> and
    /// <see cref="SessionSettings.SeedTimeLimit"/> (null: the session's; negative: no limit; 0: stop at
    /// completion; the ratio in percent), and arms them again after one was reached. A torrent paused by a
    /// goal stays paused: resume it to seed on until the new goal.
    /// </summary>
    public Task SetSeedGoalsAsync(int? shareRatioLimit, TimeSpan? seedTimeLimit, CancellationToken cancellationToken = default) =>
        Invoke(r => r.SetSeedGoals(shareRatioLimit, seedTimeLimit), cancellationToken);

    /// <summary>
    /// Captures resume data: verified pieces, partly downloaded pieces, priorities, file sizes and
    /// times, totals. Pass it in <see cref="AddTorrentParams.ResumeData"/> (or save it with
    /// <see cref="Storage.ResumeDataStore.SaveAsync"/>) so a restart trusts what is verified.
    /// Posts <see cref="Alerts.SaveResumeDataAlert"/>, or <see cref="Alerts.SaveResumeDataFailedAlert"/> when it fails.
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

    // ---- Files, pieces, storage and per-torrent modes (step 05) ----

    /// <summary>
    /// Renames file <paramref name="fileIndex"/> to <paramref name="newPath"/>, a path relative to the
    /// save folder ('/' or '\' separators; no <c>..</c>, no absolute path: it cannot leave the folder).
    /// Runs alone after outstanding disk I/O; later downloads and uploads use the new path, and resume
    /// data remembers it. Posts <see cref="Alerts.FileRenamedAlert"/>, or
    /// <see cref="Alerts.FileRenameFailedAlert"/> and throws.
    /// </summary>
    /// <exception cref="TorrentException">No such file, no metadata yet, a bad path (<see cref="ErrorCode.InvalidPath"/>), a file in the way (<see cref="ErrorCode.FileExists"/>) or a disk error.</exception>
    public Task RenameFileAsync(int fileIndex, string newPath, CancellationToken cancellationToken = default) =>
        InvokeAsync(r => r.RenameFileAsync(fileIndex, newPath), cancellationToken);

    /// <summary>
    /// Moves the torrent's files (and its part file) to <paramref name="newSavePath"/>, reporting bytes
    /// copied to <paramref name="progress"/>. Transfers pause during the move (no requests, uploads or
    /// disk I/O; peers stay connected) and continue from the new folder afterwards; the status'
    /// <see cref="TorrentStatus.SavePath"/> follows. All or nothing: on failure the files stay where they
    /// were. Posts <see cref="Alerts.StorageMovedAlert"/>, or <see cref="Alerts.StorageMovedFailedAlert"/> and throws.
    /// Moving a magnet whose metadata is still unknown only changes where its files will be created.
    /// </summary>
    /// <exception cref="TorrentException">The path is unusable, a file is in the way at the target (<see cref="ErrorCode.FileExists"/>), or a disk error.</exception>
    public Task MoveStorageAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        InvokeAsync(r => r.MoveStorageAsync(newSavePath, progress), cancellationToken);

    /// <summary>
    /// Verified bytes per file (one entry per file of <see cref="Metainfo.TorrentInfo.Files"/>, pad files
    /// included): the bytes of each verified piece that fall in the file. Empty without metadata.
    /// </summary>
    public Task<IReadOnlyList<long>> GetFileProgressAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.GetFileProgress(), cancellationToken);

    /// <summary>Whether piece <paramref name="pieceIndex"/> is downloaded and verified, asked on the engine loop.</summary>
    /// <exception cref="TorrentException">No such piece, or no metadata yet (<see cref="ErrorCode.InvalidArgument"/>).</exception>
    public Task<bool> HavePieceAsync(int pieceIndex, CancellationToken cancellationToken = default) =>
        Invoke(r => r.HavePiece(pieceIndex), cancellationToken);

    /// <summary>
    /// Whether piece <paramref name="pieceIndex"/> is verified, from the latest <see cref="Status"/>
    /// snapshot: never blocks, but may lag by up to a second; use <see cref="HavePieceAsync"/> for an exact answer.
    /// </summary>
    /// <exception cref="TorrentException">No such piece, or no metadata yet (<see cref="ErrorCode.InvalidArgument"/>).</exception>
    public bool HavePiece(int pieceIndex)
    {
        ThrowIfInvalid();
        var pieces = Status.Pieces;
        if ((uint)pieceIndex >= (uint)(TorrentInfo?.PieceCount ?? 0))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"There is no piece {pieceIndex}.");
        }

        return pieces.Count > pieceIndex && pieces[pieceIndex];
    }

    /// <summary>
    /// Reads a verified piece from storage and returns its bytes; also posts a
    /// <see cref="Alerts.ReadPieceAlert"/> with the same bytes (or with the error code when reading fails).
    /// </summary>
    /// <exception cref="TorrentException"><see cref="ErrorCode.PieceNotVerified"/> for a piece not verified yet,
    /// <see cref="ErrorCode.InvalidArgument"/> for no such piece or no metadata, or the disk error (which also stops the torrent).</exception>
    public Task<ReadOnlyMemory<byte>> ReadPieceAsync(int pieceIndex, CancellationToken cancellationToken = default) =>
        InvokeAsync(r => r.ReadPieceAsync(pieceIndex), cancellationToken);

    /// <summary>
    /// Opens a read-only, seekable <see cref="TorrentFileStream"/> over file <paramref name="fileIndex"/> while the
    /// torrent downloads: a read waits for its bytes to be downloaded and verified, and the pieces just ahead of
    /// the read position are fetched first (see <see cref="TorrentFileStream"/>). On a seed reads return at once.
    /// </summary>
    /// <param name="fileIndex">The file's index in <see cref="Metainfo.TorrentInfo.Files"/>.</param>
    /// <param name="readAhead">Bytes after the read position to fetch first; null for <see cref="SessionSettings.StreamReadAhead"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for the engine (not the stream).</param>
    /// <exception cref="TorrentException"><see cref="ErrorCode.InvalidArgument"/>: no metadata yet, no such file, a negative
    /// read-ahead, or 64 streams already open on the torrent.</exception>
    public Task<TorrentFileStream> OpenFileStreamAsync(int fileIndex, long? readAhead = null, CancellationToken cancellationToken = default) =>
        Invoke(r =>
        {
            if (r.Torrent is not { } torrent || (uint)fileIndex >= (uint)torrent.Files.Count)
            {
                throw new TorrentException(ErrorCode.InvalidArgument, r.Torrent is null ? "The torrent's metadata is not known yet." : $"There is no file {fileIndex}.");
            }

            long ahead = readAhead ?? r.Session.Settings.StreamReadAhead;
            if (ahead < 0)
            {
                throw new TorrentException(ErrorCode.InvalidArgument, "The read-ahead must be 0 or more bytes.");
            }

            return new TorrentFileStream(r, torrent.Files[fileIndex], torrent.PieceLength, r.Streams.Open(), ahead);
        }, cancellationToken);

    /// <summary>How many connected peers have each piece (seeds count for every piece); empty without metadata.</summary>
    public Task<int[]> GetPieceAvailabilityAsync(CancellationToken cancellationToken = default) =>
        Invoke(r => r.GetPieceAvailability(), cancellationToken);

    /// <summary>
    /// Clears an error state (<see cref="TorrentState.Error"/>): the files are checked again so nothing the
    /// error may have spoiled is trusted, and the torrent resumes if the error is what paused it (a pause
    /// the user asked for stays). Completes when the check is done; does nothing without an error.
    /// </summary>
    public Task ClearErrorAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync(r => r.ClearErrorAsync(), cancellationToken);

    /// <summary>Waits until every received block queued for the disk is written, then flushes the files.</summary>
    /// <exception cref="TorrentException">A disk error (which also stops the torrent).</exception>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync(r => r.FlushStorageAsync(), cancellationToken);

    /// <summary>
    /// Upload-only mode: when true nothing new is requested (requests already sent may still arrive), the
    /// torrent tells peers it is not interested and, with BEP 21, that it only uploads (a new extension
    /// handshake); verified pieces are still served. <see cref="TorrentStatus.UploadOnly"/> shows the mode.
    /// </summary>
    public Task SetUploadOnlyAsync(bool uploadOnly, CancellationToken cancellationToken = default) =>
        Invoke(r => r.SetUploadOnly(uploadOnly), cancellationToken);

    /// <summary>
    /// Limits how many peers this torrent is connected to at once (dialled and accepted alike); 0 = only the
    /// session's <see cref="SessionSettings.MaxConnectionsPerTorrent"/>, which also caps this limit. Lowering
    /// it below the current count disconnects the newest connections.
    /// </summary>
    /// <exception cref="TorrentException">A negative limit (<see cref="ErrorCode.InvalidArgument"/>).</exception>
    public Task SetMaxConnectionsAsync(int maxConnections, CancellationToken cancellationToken = default) =>
        Invoke(r => r.SetMaxConnections(maxConnections), cancellationToken);

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
