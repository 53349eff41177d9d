using GodotTorrent.Metainfo;

namespace GodotTorrent.Wire;

/// <summary>
/// Downloads a magnet's info dictionary from peers over ut_metadata (BEP 9) and checks it
/// against the info-hashes. A state machine for the engine loop: single-threaded, no I/O,
/// time from the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>
/// Peers may announce different <c>metadata_size</c>s; none is trusted until an assembled
/// dictionary hashes right. An attempt is keyed by one size: the one most usable peers announced
/// (ties go to the earliest announced); only peers announcing it are asked. When no usable peer
/// of that size is left, the attempt restarts with the next size.
/// </para>
/// <para>
/// Pieces cannot be verified one by one, so a bad peer is found by elimination: after a hash
/// mismatch every later attempt draws from one peer at a time (the least suspected), so the next
/// mismatch names a single culprit, which is excluded.
/// </para>
/// </remarks>
internal sealed class MetadataFetcher
{
    // In endgame (every missing piece requested) a piece may be asked of this many peers at once.
    private const int EndgameRequestsPerPiece = 2;

    private readonly InfoHashes _expected;
    private readonly TimeProvider _time;
    private readonly MetadataFetcherOptions _options;
    private readonly List<Source> _sources = [];
    private Attempt? _attempt;
    private int? _designated;
    private byte[]? _metadata;

    /// <summary>Creates a fetcher for the torrent with <paramref name="expected"/> info-hashes.</summary>
    /// <param name="expected">The info-hashes from the magnet link; each one present must match.</param>
    /// <param name="time">Clock for request timeouts and backoff.</param>
    /// <param name="options">Limits and timings; <see cref="MetadataFetcherOptions.Default"/> when null.</param>
    public MetadataFetcher(InfoHashes expected, TimeProvider time, MetadataFetcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(time);
        _options = options ?? MetadataFetcherOptions.Default;
        _options.Validate();
        _expected = expected;
        _time = time;
    }

    /// <summary>True once a verified info dictionary is in <see cref="Metadata"/>.</summary>
    public bool IsComplete => _metadata is not null;

    /// <summary>The verified info dictionary's bytes, once complete; pass them to <see cref="TorrentInfo.FromInfoDictionary"/>.</summary>
    public byte[]? Metadata => _metadata;

    /// <summary>The size being fetched (or fetched), or null while no peer has announced a usable one.</summary>
    public int? MetadataSize => _metadata?.Length ?? _attempt?.Size;

    /// <summary>Pieces of the current attempt.</summary>
    public int PieceCount => _attempt?.Pieces.Length ?? (_metadata is null ? 0 : MetadataMessage.PieceCount(_metadata.Length));

    /// <summary>Pieces of the current attempt received so far.</summary>
    public int PiecesReceived => _attempt?.Received ?? PieceCount;

    /// <summary>Assembled dictionaries that failed the hash check.</summary>
    public int HashFailures { get; private set; }

    /// <summary>The latest hash failure, with the peers that contributed to it.</summary>
    public MetadataHashFailure? LastHashFailure { get; private set; }

    /// <summary>True after a hash failure: pieces come from one peer at a time to find the culprit.</summary>
    public bool SingleSource { get; private set; }

    /// <summary>
    /// Registers a peer that speaks ut_metadata, with the <c>metadata_size</c> from its extension
    /// handshake; call again when it re-sends the handshake.
    /// </summary>
    /// <returns>
    /// False when the peer will not be asked: no size, a size of 0 or over
    /// <see cref="MetadataFetcherOptions.MaxMetadataSize"/>, or the fetch is complete.
    /// </returns>
    public bool AddPeer(int peerId, long? metadataSize)
    {
        Forget(peerId);
        bool usable = !IsComplete && metadataSize is { } size && size >= 1 && size <= _options.MaxMetadataSize;
        if (usable)
        {
            _sources.Add(new Source(peerId, (int)metadataSize!.Value));
        }

        EnsureAttempt();
        return usable;
    }

    /// <summary>Forgets a disconnected peer; its outstanding requests go to others.</summary>
    public void RemovePeer(int peerId)
    {
        Forget(peerId);
        EnsureAttempt();
    }

    /// <summary>
    /// The next piece to request from <paramref name="peerId"/>, recorded as outstanding. Call in a
    /// loop until false, for each peer, after any other call; then send
    /// <see cref="MetadataMessage.CreateRequest"/> with the peer's ut_metadata id.
    /// </summary>
    public bool TryGetRequest(int peerId, out int piece)
    {
        piece = -1;
        if (_attempt is not { } attempt || Find(peerId) is not { } source || !source.Usable || source.Size != attempt.Size)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        if (now < source.BackoffUntil || source.Outstanding >= _options.MaxOutstandingPerPeer)
        {
            return false;
        }

        if (SingleSource && Designated(attempt.Size, now) != source)
        {
            return false;
        }

        int chosen = -1;
        for (int i = 0; i < attempt.Pieces.Length && chosen < 0; i++)
        {
            if (!attempt.Pieces[i].Have && attempt.Pieces[i].Requests.Count == 0)
            {
                chosen = i;
            }
        }

        for (int i = 0; i < attempt.Pieces.Length && chosen < 0; i++)
        {
            var state = attempt.Pieces[i];
            if (!state.Have && state.Requests.Count < EndgameRequestsPerPiece && !state.HasRequestFrom(peerId))
            {
                chosen = i;
            }
        }

        if (chosen < 0)
        {
            return false;
        }

        var chosenState = attempt.Pieces[chosen];
        chosenState.Requests.Add((peerId, now));
        if (!chosenState.Asked.Contains(peerId))
        {
            chosenState.Asked.Add(peerId);
        }

        source.Outstanding++;
        piece = chosen;
        return true;
    }

    /// <summary>Takes a data message from <paramref name="peerId"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="message"/> is not a data message.</exception>
    public MetadataFetchOutcome OnData(int peerId, in MetadataMessage message)
    {
        if (message.Type != MetadataMessageType.Data)
        {
            throw new ArgumentException("Only data messages carry metadata.", nameof(message));
        }

        if (_attempt is not { } attempt || Find(peerId) is not { } source)
        {
            return MetadataFetchOutcome.Ignored;
        }

        if (message.TotalSize != source.Size)
        {
            // BEP 9 makes total_size the metadata_size it announced: one of the two is a lie.
            source.Convicted = true;
            Forget(peerId, keepSource: true);
            EnsureAttempt();
            return MetadataFetchOutcome.Invalid;
        }

        if (source.Size != attempt.Size || message.Piece >= attempt.Pieces.Length
            || message.Data.Length != MetadataMessage.PieceSize(attempt.Size, message.Piece))
        {
            return MetadataFetchOutcome.Ignored;
        }

        var state = attempt.Pieces[message.Piece];
        if (state.RemoveRequest(peerId))
        {
            source.Outstanding--;
        }

        // Unsolicited pieces are dropped: accepting them would let any peer poison the attempt.
        if (state.Have || !state.Asked.Contains(peerId))
        {
            return MetadataFetchOutcome.Ignored;
        }

        message.Data.Span.CopyTo(attempt.Buffer.AsSpan(message.Piece * MetadataMessage.PieceLength));
        state.Have = true;
        state.Contributor = peerId;
        attempt.Received++;
        source.Strikes = 0;
        foreach (var (other, _) in state.Requests)
        {
            if (Find(other) is { } duplicate)
            {
                duplicate.Outstanding--;
            }
        }

        state.Requests.Clear();
        return attempt.Received < attempt.Pieces.Length ? MetadataFetchOutcome.Accepted : Finish(attempt);
    }

    /// <summary>Takes a reject: the piece goes to another peer and this one is left alone for a while.</summary>
    public void OnReject(int peerId, int piece)
    {
        if (_attempt is not { } attempt || Find(peerId) is not { } source || (uint)piece >= (uint)attempt.Pieces.Length)
        {
            return;
        }

        if (attempt.Pieces[piece].RemoveRequest(peerId))
        {
            source.Outstanding--;
            Strike(source, _time.GetUtcNow());
        }
    }

    /// <summary>
    /// Expires requests older than <see cref="MetadataFetcherOptions.RequestTimeout"/>, striking
    /// their peers; call from the engine's periodic tick, then hand out requests again.
    /// </summary>
    /// <returns>How many requests expired.</returns>
    public int Tick()
    {
        if (_attempt is not { } attempt)
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        var late = new List<int>();
        foreach (var state in attempt.Pieces)
        {
            for (int i = state.Requests.Count - 1; i >= 0; i--)
            {
                if (now - state.Requests[i].SentAt >= _options.RequestTimeout)
                {
                    late.Add(state.Requests[i].Peer);
                    state.Requests.RemoveAt(i);
                }
            }
        }

        // Release every slot first: a strike may switch the attempt, which resets the counts.
        foreach (int peerId in late)
        {
            if (Find(peerId) is { } source)
            {
                source.Outstanding--;
            }
        }

        foreach (int peerId in late)
        {
            if (Find(peerId) is { } source)
            {
                Strike(source, now);
            }
        }

        return late.Count;
    }

    private MetadataFetchOutcome Finish(Attempt attempt)
    {
        if (Matches(attempt.Buffer))
        {
            _metadata = attempt.Buffer;
            _attempt = null;
            foreach (var source in _sources)
            {
                source.Outstanding = 0;
            }

            return MetadataFetchOutcome.Completed;
        }

        var contributors = new List<int>();
        foreach (var state in attempt.Pieces)
        {
            if (!contributors.Contains(state.Contributor))
            {
                contributors.Add(state.Contributor);
            }
        }

        int? culprit = contributors.Count == 1 ? contributors[0] : null;
        foreach (int peerId in contributors)
        {
            if (Find(peerId) is { } source)
            {
                source.Suspicion++;
                source.Convicted |= culprit == peerId;
            }
        }

        HashFailures++;
        LastHashFailure = new MetadataHashFailure(attempt.Size, contributors.AsReadOnly(), culprit);
        SingleSource = true;
        _designated = null;
        _attempt = null;
        foreach (var source in _sources)
        {
            source.Outstanding = 0;
        }

        EnsureAttempt();
        return MetadataFetchOutcome.HashMismatch;
    }

    private bool Matches(byte[] metadata) =>
        (_expected.V1 is null || InfoHash.ComputeV1(metadata) == _expected.V1)
        && (_expected.V2 is null || InfoHash.ComputeV2(metadata) == _expected.V2);

    private void Strike(Source source, DateTimeOffset now)
    {
        source.Strikes++;
        source.BackoffUntil = now + (_options.Backoff * source.Strikes);
        if (source.Strikes >= _options.MaxStrikes)
        {
            source.Exhausted = true;
            Forget(source.Id, keepSource: true);
            EnsureAttempt();
        }
    }

    /// <summary>Starts or switches the attempt when its size has no usable peer left.</summary>
    private void EnsureAttempt()
    {
        if (IsComplete)
        {
            return;
        }

        if (_attempt is { } current && _sources.Exists(s => s.Usable && s.Size == current.Size)
            && (current.Received > 0 || ChooseSize() == current.Size))
        {
            // Keep a started attempt; one with nothing received yet follows the majority size.
            return;
        }

        if (!_sources.Exists(s => s.Usable) && _sources.Exists(s => !s.Convicted && s.Exhausted))
        {
            // Everyone left was set aside for rejects or timeouts: give them all another round.
            foreach (var source in _sources)
            {
                source.Exhausted = false;
                source.Strikes = 0;
            }
        }

        int? size = ChooseSize();
        if (size is null || (_attempt is not null && _attempt.Size == size))
        {
            // Nobody to ask: keep what we have in case peers of this size come back.
            return;
        }

        _attempt = new Attempt(size.Value);
        _designated = null;
        foreach (var source in _sources)
        {
            source.Outstanding = 0;
        }
    }

    private int? ChooseSize()
    {
        var counts = new Dictionary<int, int>();
        foreach (var source in _sources)
        {
            if (source.Usable)
            {
                counts[source.Size] = counts.GetValueOrDefault(source.Size) + 1;
            }
        }

        int? best = null;
        int bestCount = 0;
        foreach (var source in _sources)
        {
            if (source.Usable && counts[source.Size] > bestCount)
            {
                best = source.Size;
                bestCount = counts[source.Size];
            }
        }

        return best;
    }

    private Source? Designated(int size, DateTimeOffset now)
    {
        if (_designated is { } id && Find(id) is { } current && current.Usable && current.Size == size && now >= current.BackoffUntil)
        {
            return current;
        }

        Source? best = null;
        foreach (var source in _sources)
        {
            if (source.Usable && source.Size == size && now >= source.BackoffUntil && (best is null || source.Suspicion < best.Suspicion))
            {
                best = source;
            }
        }

        _designated = best?.Id;
        return best;
    }

    /// <summary>Cancels the peer's outstanding requests and, unless kept, forgets it.</summary>
    private void Forget(int peerId, bool keepSource = false)
    {
        if (Find(peerId) is not { } source)
        {
            return;
        }

        if (_attempt is { } attempt)
        {
            foreach (var state in attempt.Pieces)
            {
                state.RemoveRequest(peerId);
            }
        }

        source.Outstanding = 0;
        if (_designated == peerId)
        {
            _designated = null;
        }

        if (!keepSource)
        {
            _sources.Remove(source);
        }
    }

    private Source? Find(int peerId) => _sources.Find(s => s.Id == peerId);

    private sealed class Source(int id, int size)
    {
        public int Id { get; } = id;

        public int Size { get; } = size;

        public int Outstanding { get; set; }

        public int Strikes { get; set; }

        public DateTimeOffset BackoffUntil { get; set; }

        /// <summary>Set aside after too many rejects or timeouts; cleared when nobody else is left.</summary>
        public bool Exhausted { get; set; }

        /// <summary>Proven to lie (bad data as sole contributor, or a total_size unlike its metadata_size).</summary>
        public bool Convicted { get; set; }

        /// <summary>Failed attempts it contributed to; the least suspected peer is asked first.</summary>
        public int Suspicion { get; set; }

        public bool Usable => !Convicted && !Exhausted;
    }

    private sealed class Attempt
    {
        public Attempt(int size)
        {
            Size = size;
            Buffer = new byte[size];
            Pieces = new PieceState[MetadataMessage.PieceCount(size)];
            for (int i = 0; i < Pieces.Length; i++)
            {
                Pieces[i] = new PieceState();
            }
        }

        public int Size { get; }

        public byte[] Buffer { get; }

        public PieceState[] Pieces { get; }

        public int Received { get; set; }
    }

    private sealed class PieceState
    {
        public bool Have { get; set; }

        public int Contributor { get; set; }

        public List<(int Peer, DateTimeOffset SentAt)> Requests { get; } = [];

        /// <summary>Peers ever asked for this piece in this attempt: only their data is accepted, even late.</summary>
        public List<int> Asked { get; } = [];

        public bool HasRequestFrom(int peerId) => Requests.Exists(r => r.Peer == peerId);

        public bool RemoveRequest(int peerId)
        {
            int index = Requests.FindIndex(r => r.Peer == peerId);
            if (index < 0)
            {
                return false;
            }

            Requests.RemoveAt(index);
            return true;
        }
    }
}
