using GodotTorrent.Alerts;
using GodotTorrent.Discovery;
using GodotTorrent.Session;
using GodotTorrent.Storage;
using GodotTorrent.Trackers;

namespace GodotTorrent.Torrent;

/// <summary>What the handle, the session and the resume folder ask of the torrent: queries, settings and commands that are not phase changes.</summary>
internal sealed partial class TorrentRuntime : ITrackerAnnouncerHost, IDisposable
{
    public Task RenameFileAsync(int fileIndex, string newPath) => _data.Files.RenameFileAsync(fileIndex, newPath);

    public async Task MoveStorageAsync(string newSavePath, IProgress<long>? progress)
    {
        await _data.Files.MoveStorageAsync(newSavePath, progress).ConfigureAwait(true);
        RefreshStatus();
    }

    public IReadOnlyList<long> GetFileProgress() => _data.Files.GetFileProgress();

    public bool HavePiece(int piece) => _data.Files.HavePiece(piece);

    public Task<ReadOnlyMemory<byte>> ReadPieceAsync(int piece) => _data.Files.ReadPieceAsync(piece);

    public TorrentStreams Streams => _swarm.Streams;

    public int[] GetPieceAvailability() => Torrent is null ? [] : _swarm.Availability(Torrent.PieceCount);

    public async Task ClearErrorAsync()
    {
        if (!_lifecycle.ClearError(out bool resume))
        {
            return;
        }

        Task? check = null;
        if (Torrent is not null)
        {
            // The data is checked again so nothing the error may have spoiled is trusted.
            var writer = _data.DetachWriter();
            check = _data.Checking = _data.CheckAfterErrorAsync(writer);
        }

        if (resume && _lifecycle.IsPaused)
        {
            Resume();
        }

        RefreshStatus();
        if (check is not null)
        {
            await check.ConfigureAwait(true);
        }
    }

    public Task FlushStorageAsync() => _data.Files.FlushStorageAsync();

    public void SetUploadOnly(bool uploadOnly)
    {
        if (_swarm.UploadOnly == uploadOnly)
        {
            return;
        }

        _swarm.UploadOnly = uploadOnly;
        foreach (var peer in _peers.Values)
        {
            _protocol.UpdateInterest(peer);

            // BEP 21: a new extension handshake tells the peer the upload_only flag changed.
            if (peer.SentExtensions)
            {
                peer.SendExtended(0, _extensions!.OurHandshake(peer).ToBytes());
            }

            _swarm.Refill(peer);
        }

        RefreshStatus();
    }

    public void SetMaxConnections(int limit) => _connections.SetMaxConnections(limit);

    /// <summary>Closes this torrent's least useful connection for a stranger elsewhere in a full session.</summary>
    public bool TryEvictForStranger() => _connections.TryEvict(null);

    public Task<ResumeData> SaveResumeDataAsync() => _data.SaveResumeDataAsync();

    public bool IsSequential => _swarm.Picker?.Sequential ?? _params.SequentialDownload;

    public long UploadLimit => _limits.UploadLimit;

    public long DownloadLimit => _limits.DownloadLimit;

    public Metainfo.MagnetLink? Magnet => _params.Magnet;

    /// <summary>True when resume data can be captured now (metadata known, files checked).</summary>
    public bool CanSaveResumeData => Torrent is not null && _data.Storage is not null && _data.Writer is not null && !_lifecycle.IsStopped;

    /// <summary>True when the torrent changed since its resume data was last written to the resume folder.</summary>
    public bool ResumeDataChanged =>
        _lastResumeSave is not { } last || last.Pieces != _data.Have.SetCount || last.Down != _download.Total || last.Up != _upload.Total
        || last.Paused != _lifecycle.IsPaused || !last.Priorities.AsSpan().SequenceEqual(_data.FilePriorities) || last.Goals != _seedGoals.Fingerprint(Settings);

    public void MarkResumeDataSaved() =>
        _lastResumeSave = (_data.Have.SetCount, _download.Total, _upload.Total, _lifecycle.IsPaused, [.. _data.FilePriorities], _seedGoals.Fingerprint(Settings));

    /// <summary>
    /// Resume data for session state: the full resume data when it can be captured, otherwise
    /// (still checking, or stopped on an error) the torrent with nothing trusted, so a restore
    /// checks the files. Null for a magnet link whose metadata is not known yet.
    /// </summary>
    public async Task<ResumeData?> CaptureStateAsync()
    {
        if (Torrent is null)
        {
            return null;
        }

        if (CanSaveResumeData && !_lifecycle.HasError)
        {
            try
            {
                return (await SaveResumeDataAsync().ConfigureAwait(true)) with { Torrent = Torrent };
            }
            catch (StorageException)
            {
                // Fall through: the files will be checked on restore.
            }
        }

        return _seedGoals.AddTo(new ResumeData
        {
            InfoHashes = InfoHashes,
            SavePath = SavePath,
            Pieces = new Bitfield(Torrent.PieceCount),
            FilePriorities = _data.FilePriorities.Length == Torrent.Files.Count ? [.. _data.FilePriorities] : [],
            AddedTime = _params.ResumeData?.AddedTime ?? AddedTime,
            Torrent = Torrent,
        });
    }

    /// <summary>Sets the torrent's own seeding limits (null: the session's) and arms the goals again.</summary>
    public void SetSeedGoals(int? shareRatioLimit, TimeSpan? seedTimeLimit) => _seedGoals.Set(shareRatioLimit, seedTimeLimit);

    // Once a second from the tick: a complete, running torrent that meets a goal pauses (the
    // session's queue then gives its slot to the next torrent in the same tick).
    private void CheckSeedGoals()
    {
        bool seeding = Phase.IsRunning() && _lifecycle.State is TorrentState.Seeding or TorrentState.Finished;
        long uploaded = (_params.ResumeData?.TotalUploaded ?? 0) + _upload.Total;
        long downloaded = (_params.ResumeData?.TotalDownloaded ?? 0) + _download.Total;
        long size = Torrent?.TotalSize ?? 0;
        if (_seedGoals.Tick(TimeSpan.FromSeconds(1), seeding, uploaded, downloaded, size, Settings) is { } goal)
        {
            _session.Alerts.Post(new SeedGoalReachedAlert(Handle, goal, SeedGoals.ShareRatio(uploaded, downloaded, size), _seedGoals.SeedingTime));
            Pause();
        }
    }

    /// <summary>Every byte received from peers this session, closed connections included.</summary>
    public long WireDownloadTotal => _connections.WireDownloadTotal;

    /// <summary>Every byte sent to peers this session, closed connections included.</summary>
    public long WireUploadTotal => _connections.WireUploadTotal;

    public long PayloadDownloadTotal => _download.Total;

    public long PayloadUploadTotal => _upload.Total;

    public long FailedBytes => _data.FailedBytes;

    public long RedundantBytes => _swarm.RedundantBytes;

    public long WebSeedBytes => _swarm.WebSeedBytes;

    public int PeerConnectionCount => _peers.Count;

    public int CandidateCount => _peerList.Count;

    public long DownloadRateNow => _download.Rate();

    public long UploadRateNow => _upload.Rate();

    /// <summary>True while the app paused the torrent (not the queue).</summary>
    public bool IsUserPaused => _lifecycle.IsPaused;

    public bool HasError => _lifecycle.HasError;

    public TorrentState CurrentState => _lifecycle.PublicState;

#pragma warning disable CA1859 // The field holds any storage; the wrapper is an implementation detail.
    private Storage.IPieceStorage CountDiskBytes(Storage.IPieceStorage storage) => new CountingStorage(storage, _session.Counters);
#pragma warning restore CA1859

    /// <summary>What <c>PostTorrentUpdates</c> compares to report the torrent when it changed.</summary>
    public StatusFingerprint Fingerprint() => _status.Fingerprint();

    private WebSeedList WebSeeds => _webSeeds ??=
        new((Torrent?.WebSeeds ?? []).Concat(_params.Magnet?.WebSeeds ?? []).Concat(_params.ResumeData?.WebSeeds ?? []));

    public IReadOnlyList<string> GetWebSeeds() => WebSeeds.ToList();

    public void AddWebSeed(string url)
    {
        WebSeeds.Add(url);
        _webSeedSet.Forget(url);
        _webSeedSet.Update();
    }

    public bool RemoveWebSeed(string url)
    {
        bool removed = WebSeeds.Remove(url);
        _webSeedSet.Update();
        return removed;
    }

    public IReadOnlyList<Priority> GetPiecePriorities() => _swarm.GetPiecePriorities();

    public void SetPiecePriorities(IReadOnlyList<Priority> priorities)
    {
        _swarm.SetPiecePriorities(priorities);
        UpdateCompletionState(announce: true);
        _swarm.UpdateInterestAndRefill();
    }

    private void WarnPerformance(string warning) =>
        (_performanceWarnings ??= new(_session.Time, w => _session.Alerts.Post(new PerformanceWarningAlert(Handle, w)))).Warn(warning);

    /// <summary>Frees the tracker clients' state; called once the torrent has stopped.</summary>
    public void Dispose() => _announcer.Dispose();

    public IReadOnlyList<TrackerStatus> GetTrackers() => _announcer.GetTrackers();

    public void AddTracker(string url, int tier)
    {
        InitializeTrackers();
        _announcer.AddTracker(url, tier);
    }

    public bool RemoveTracker(string url) => _announcer.RemoveTracker(url);

    public void ReplaceTrackers(IReadOnlyList<IReadOnlyList<string>> tiers)
    {
        InitializeTrackers();
        _announcer.ReplaceTrackers(tiers);
    }

    public void ForceReannounce() => _announcer.ForceReannounce(Now);

    public Task<IReadOnlyList<TrackerStatus>> ScrapeAsync() => _announcer.ScrapeAsync();

    private void InitializeTrackers() => _announcer.SetTiers(TrackerAnnouncer.TiersFor(Torrent, _params.Magnet));

    bool ITrackerAnnouncerHost.MayAnnounce => MayAnnounce;

    bool ITrackerAnnouncerHost.IsStopped => _lifecycle.IsStopped;

    TransferStats ITrackerAnnouncerHost.TransferStats
    {
        get
        {
            var status = _status.Latest;
            long left = Torrent is null ? 0 : Math.Max(0, status.TotalWanted - status.TotalWantedDone);
            return new TransferStats(_upload.Total, _download.Total, left);
        }
    }
}
