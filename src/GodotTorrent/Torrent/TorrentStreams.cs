using GodotTorrent.Peers.Protocol;
using GodotTorrent.Session;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;

namespace GodotTorrent.Torrent;

/// <summary>
/// The torrent's open streams (<see cref="TorrentFileStream"/>): each has a read-ahead window of
/// pieces that become picker deadlines (the piece a read waits for first, then the ones after it),
/// and the reads waiting for a piece to pass its hash check. Windows of several streams merge (a
/// piece takes its most urgent rank); a seek moves a window; a cancelled read or a closed stream
/// drops its window, so its deadlines go. Engine loop only.
/// </summary>
internal sealed class TorrentStreams
{
    /// <summary>Streams open on one torrent at once.</summary>
    public const int MaxStreams = 64;

    /// <summary>Pieces one window may hold, whatever the read-ahead (bounds the picker's deadline list).</summary>
    public const int MaxWindowPieces = 256;

    // A read waiting this long makes its piece late: blocks still out are asked of another peer too.
    private static readonly TimeSpan LateAfter = TimeSpan.FromSeconds(2);

    private readonly TorrentSwarm _swarm;
    private readonly ITorrentSwarmHost _host;
    private readonly TorrentData _data;
    private readonly Dictionary<int, PeerConnection> _peers;
    private readonly Dictionary<int, (int First, int Last)> _windows = [];
    private readonly List<Waiter> _waiters = [];
    private readonly Dictionary<int, long> _applied = [];
    private int _nextId;

    public TorrentStreams(TorrentSwarm swarm, ITorrentSwarmHost host, TorrentData data, Dictionary<int, PeerConnection> peers)
    {
        _swarm = swarm;
        _host = host;
        _data = data;
        _peers = peers;
    }

    /// <summary>Streams open now.</summary>
    public int Count => _windows.Count;

    /// <summary>Deadlines the picker holds now.</summary>
    public int PickerDeadlines => _swarm.Picker?.DeadlineCount ?? 0;

    /// <summary>Reads waiting for a piece now.</summary>
    public int WaitingReads => _waiters.Count;

    /// <summary>Registers a stream (no window until it reads or seeks); its id.</summary>
    public int Open()
    {
        if (_windows.Count >= MaxStreams)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"At most {MaxStreams} streams may be open on one torrent.");
        }

        int id = ++_nextId;
        _windows[id] = (0, -1);
        return id;
    }

    /// <summary>The stream was disposed: its window and waiting read go.</summary>
    public void Close(int id)
    {
        if (_windows.Remove(id))
        {
            CancelWaiters(id);
            ApplyDeadlines();
        }
    }

    /// <summary>Moves the stream's window to pieces <paramref name="first"/>..<paramref name="last"/> (a seek, or a read).</summary>
    public void Move(int id, int first, int last)
    {
        last = Math.Min(last, first + MaxWindowPieces - 1);
        if (_windows.TryGetValue(id, out var window) && window != (first, last))
        {
            _windows[id] = (first, last);
            ApplyDeadlines();
        }
    }

    /// <summary>
    /// Moves the window to start at <paramref name="piece"/>, waits until the piece is verified, then reads
    /// <paramref name="buffer"/>'s length from <paramref name="offset"/> in it.
    /// </summary>
    public async Task<int> ReadAsync(int id, int piece, int windowLast, int offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(!_windows.ContainsKey(id), typeof(TorrentFileStream));

        Move(id, piece, Math.Max(piece, windowLast));
        if (!Have(piece))
        {
            Expedite(piece);
            var waiter = new Waiter(id, piece, _host.Now, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _waiters.Add(waiter);
            using var registration = cancellationToken.Register(() => waiter.Completion.TrySetCanceled(cancellationToken));
            try
            {
                await waiter.Completion.Task.ConfigureAwait(true);
            }
            catch (OperationCanceledException)
            {
                // A reader that gave up no longer needs its pieces soon: release the window's deadlines.
                _waiters.Remove(waiter);
                if (_windows.ContainsKey(id))
                {
                    _windows[id] = (0, -1);
                    ApplyDeadlines();
                }

                throw;
            }
        }

        if (_data.Storage is not { } storage)
        {
            throw new TorrentException(ErrorCode.InvalidHandle, "The torrent's storage is closed.");
        }

        try
        {
            await _data.Fence.ReadAsync(storage, piece, offset, buffer).ConfigureAwait(true);
        }
        catch (StorageException e)
        {
            throw new TorrentException(e.ErrorCode, e.Message, e);
        }

        return buffer.Length;
    }

    /// <summary>A piece passed its hash check: the reads waiting for it go on.</summary>
    public void PieceVerified(int piece)
    {
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Piece == piece)
            {
                _waiters[i].Completion.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }

        _applied.Remove(piece);
    }

    /// <summary>A new picker (after the check, or a recheck): it gets the windows' deadlines.</summary>
    public void PickerCreated()
    {
        _applied.Clear();
        ApplyDeadlines();
    }

    /// <summary>
    /// Once a second: reads whose piece became verified some other way (a check) go on, and a read
    /// waiting too long makes its piece late.
    /// </summary>
    public void Tick(DateTimeOffset now)
    {
        bool late = false;
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            if (Have(waiter.Piece))
            {
                waiter.Completion.TrySetResult();
                _waiters.RemoveAt(i);
            }
            else if (now - waiter.Since >= LateAfter && _swarm.Picker is { } picker)
            {
                picker.SetDeadlineLate(waiter.Piece);
                late = true;
            }
        }

        if (late)
        {
            RefillFastestFirst();
        }
    }

    /// <summary>The torrent is gone: every waiting read fails.</summary>
    public void FailAll(Exception error)
    {
        foreach (var waiter in _waiters)
        {
            waiter.Completion.TrySetException(error);
        }

        _waiters.Clear();
        _windows.Clear();
        _applied.Clear();
    }

    /// <summary>
    /// A read waits for a piece nobody was asked for: requests out for pieces without a deadline are
    /// cancelled so the time-critical ones are not queued behind them (they go back to the picker).
    /// </summary>
    private void Expedite(int piece)
    {
        if (_swarm.Picker is not { } picker || picker.IsStarted(piece))
        {
            return;
        }

        foreach (var peer in _peers.Values)
        {
            _swarm.Requests.Cancel(peer, block => !picker.HasDeadline(block.Piece));
        }

        RefillFastestFirst();
    }

    private bool Have(int piece) => _data.Have.Count > piece && _data.Have[piece];

    private void CancelWaiters(int id)
    {
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Stream == id)
            {
                _waiters[i].Completion.TrySetException(new ObjectDisposedException(nameof(TorrentFileStream)));
                _waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>Gives the picker the merged windows' deadlines (rank in its window; the most urgent wins) and drops stale ones.</summary>
    private void ApplyDeadlines()
    {
        var wanted = new Dictionary<int, long>();
        foreach (var (first, last) in _windows.Values)
        {
            for (int piece = first; piece <= last; piece++)
            {
                if (!Have(piece))
                {
                    long rank = piece - first;
                    wanted[piece] = wanted.TryGetValue(piece, out long other) ? Math.Min(other, rank) : rank;
                }
            }
        }

        if (_swarm.Picker is not { } picker)
        {
            _applied.Clear();
            return;
        }

        bool changed = false;
        foreach (int piece in _applied.Keys)
        {
            if (!wanted.ContainsKey(piece))
            {
                picker.ClearDeadline(piece);
                changed = true;
            }
        }

        foreach (var (piece, rank) in wanted)
        {
            if (!_applied.TryGetValue(piece, out long old) || old != rank)
            {
                picker.SetDeadline(piece, rank);
                changed = true;
            }
        }

        _applied.Clear();
        foreach (var (piece, rank) in wanted)
        {
            _applied[piece] = rank;
        }

        if (changed)
        {
            RefillFastestFirst();
        }
    }

    /// <summary>
    /// Interest first (a skipped file's pieces may now be wanted), then requests, fastest peer first, so
    /// time-critical blocks go to the peers likely to deliver them soonest.
    /// </summary>
    private void RefillFastestFirst()
    {
        if (_peers.Count == 0)
        {
            return;
        }

        var ordered = _peers.Values.ToArray();
        Array.Sort(ordered, static (a, b) => b.Download.Rate(3).CompareTo(a.Download.Rate(3)));
        foreach (var peer in ordered)
        {
            _host.UpdateInterest(peer);
        }

        foreach (var peer in ordered)
        {
            _swarm.Refill(peer);
        }
    }

    private sealed record Waiter(int Stream, int Piece, DateTimeOffset Since, TaskCompletionSource Completion);
}
