using GodotTorrent.Alerts;
using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Torrent;

/// <summary>
/// Handle operations: the data's (forwarded to <see cref="Torrent.TorrentData"/>), piece availability,
/// clearing errors, upload-only mode and the per-torrent connection limit.
/// </summary>
internal sealed partial class TorrentRuntime
{
    private bool _uploadOnly;
    private int? _maxConnections;

    /// <summary>The most peers this torrent keeps connected: its own limit, capped by the session's per-torrent limit.</summary>
    private int MaxPeers
    {
        get
        {
            int own = _maxConnections ?? _params.MaxConnections;
            return own > 0 ? Math.Min(own, Settings.MaxConnectionsPerTorrent) : Settings.MaxConnectionsPerTorrent;
        }
    }

    public Task RenameFileAsync(int fileIndex, string newPath) => _data.Files.RenameFileAsync(fileIndex, newPath);

    public async Task MoveStorageAsync(string newSavePath, IProgress<long>? progress)
    {
        await _data.Files.MoveStorageAsync(newSavePath, progress).ConfigureAwait(true);
        RefreshStatus();
    }

    public IReadOnlyList<long> GetFileProgress() => _data.Files.GetFileProgress();

    public bool HavePiece(int piece) => _data.Files.HavePiece(piece);

    public Task<ReadOnlyMemory<byte>> ReadPieceAsync(int piece) => _data.Files.ReadPieceAsync(piece);

    public int[] GetPieceAvailability()
    {
        if (Torrent is null)
        {
            return [];
        }

        var availability = new int[Torrent.PieceCount];
        if (_picker is not null)
        {
            for (int i = 0; i < availability.Length; i++)
            {
                availability[i] = _picker.Availability(i);
            }

            return availability;
        }

        // While the files are checked the picker does not exist yet; the peers' bitfields do.
        foreach (var peer in _peers.Values)
        {
            if (peer.Have is { } have && have.Count == availability.Length)
            {
                for (int i = have.NextSet(0); i >= 0; i = have.NextSet(i + 1))
                {
                    availability[i]++;
                }
            }
        }

        return availability;
    }

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
            check = _checking = CheckAfterErrorAsync(writer);
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
        if (_uploadOnly == uploadOnly)
        {
            return;
        }

        _uploadOnly = uploadOnly;
        foreach (var peer in _peers.Values)
        {
            UpdateInterest(peer);

            // BEP 21: a new extension handshake tells the peer the upload_only flag changed.
            if (peer.SentExtensions)
            {
                peer.SendExtended(0, OurExtensionHandshake(peer).ToBytes());
            }

            Refill(peer);
        }

        RefreshStatus();
    }

    public void SetMaxConnections(int limit)
    {
        if (limit < 0)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "A connection limit is 0 (the session's limit) or positive.");
        }

        _maxConnections = limit;
        int excess = _peers.Count - MaxPeers;
        if (excess > 0)
        {
            // The newest connections go first: the older ones have proven themselves.
            foreach (var peer in _peers.Values.Where(p => !p.IsClosed).OrderByDescending(p => p.ConnectedAt).Take(excess).ToList())
            {
                Disconnect(peer, ErrorCode.TooManyConnections, "the torrent's connection limit was lowered");
            }
        }

        ConnectToCandidates(Now);
    }

    public Task<ResumeData> SaveResumeDataAsync() => _data.SaveResumeDataAsync();

    private Task CheckAfterErrorAsync(PieceWriter? previous) => _data.CheckAfterErrorAsync(previous);

    private void CancelAllRequests()
    {
        foreach (var peer in _peers.Values)
        {
            _requests.DropAll(peer, sendCancels: true);
        }
    }
}
