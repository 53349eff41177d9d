namespace GodotTorrent.Swarm;

/// <summary>
/// One peer's request pipeline: how many block requests to keep outstanding, and whether the peer is
/// snubbing us (requests out, nothing arriving). Touched only on the engine loop; no locks.
/// </summary>
/// <remarks>
/// The depth follows the bandwidth-delay product: enough requests to cover <see cref="CoverSeconds"/> of
/// the peer's current rate, so a fast peer never idles waiting for our next request while a slow one is not
/// handed blocks that faster peers could fetch. A snubbed peer is cut to one request (as libtorrent does).
/// </remarks>
internal sealed class RequestQueue
{
    /// <summary>Seconds of transfer the outstanding requests should cover.</summary>
    public const double CoverSeconds = 3.0;

    /// <summary>The least depth of an unsnubbed peer: one block in flight while the next is asked for.</summary>
    public const int MinDepth = 2;

    /// <summary>The default upper bound on the depth, while the peer has not announced its own (libtorrent's max_out_request_queue is 500).</summary>
    public const int DefaultMaxDepth = 500;

    /// <summary>
    /// The most a peer's announced queue (BEP 10 <c>reqq</c>) can raise the bound to: 16 MiB of blocks
    /// asked for. libtorrent keeps 2,000 with itself (it announces 2,000 and fills what the other side
    /// announces), but blocks asked for can all arrive before the writer takes them: at 2,000 our
    /// downloader's peak RSS against a fast seed rose from 93-101 MB to 102-121 MB.
    /// </summary>
    public const int MaxPeerDepth = 1000;

    private readonly TimeProvider _time;
    private readonly int _minDepth;
    private readonly int _configuredMaxDepth;
    private long _lastProgress;
    private bool _timedOut;

    /// <summary>Creates the pipeline state of one peer.</summary>
    /// <param name="time">The clock (injected so tests move it).</param>
    /// <param name="maxDepth">Upper bound on outstanding requests.</param>
    /// <param name="snubTimeout">How long requests may go unanswered before the peer counts as snubbing; default 60 s.</param>
    /// <param name="minDepth">The least depth whatever the rate (a web seed is asked for whole runs of pieces).</param>
    public RequestQueue(TimeProvider time, int maxDepth = DefaultMaxDepth, TimeSpan? snubTimeout = null, int minDepth = MinDepth)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, MinDepth);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minDepth, maxDepth);
        _time = time;
        _minDepth = minDepth;
        MaxDepth = _configuredMaxDepth = maxDepth;
        SnubTimeout = snubTimeout ?? TimeSpan.FromSeconds(60);
        _lastProgress = time.GetTimestamp();
    }

    /// <summary>Upper bound on outstanding requests: the configured one, or what the peer announced it queues (<see cref="PeerQueueAnnounced"/>).</summary>
    public int MaxDepth { get; private set; }

    /// <summary>No block for this long while requests are outstanding means snubbed.</summary>
    public TimeSpan SnubTimeout { get; }

    /// <summary>Requests sent and not yet answered, cancelled or timed out.</summary>
    public int Outstanding { get; private set; }

    /// <summary>
    /// True when a request timed out and no block arrived since, or when requests are outstanding and no
    /// block arrived for <see cref="SnubTimeout"/>.
    /// </summary>
    public bool IsSnubbed => _timedOut || (Outstanding > 0 && _time.GetElapsedTime(_lastProgress) >= SnubTimeout);

    /// <summary>The depth for a download rate: rate × 3 s / 16 KiB, at least 2, at most <paramref name="maxDepth"/>.</summary>
    public static int DepthFor(double bytesPerSecond, int maxDepth = DefaultMaxDepth)
    {
        double blocks = Math.Ceiling(Math.Max(0, bytesPerSecond) * CoverSeconds / BlockRequest.BlockSize);
        return (int)Math.Clamp(blocks, MinDepth, maxDepth);
    }

    /// <summary>The depth to keep for this peer now: 1 while snubbed (so a silent peer cannot take back the blocks that timed out with it), else <see cref="DepthFor"/>.</summary>
    public int TargetDepth(double bytesPerSecond) => IsSnubbed ? 1 : Math.Max(_minDepth, DepthFor(bytesPerSecond, MaxDepth));

    /// <summary>
    /// The peer announced how many requests it queues (BEP 10 <c>reqq</c>). More
    /// than that would be rejected or dropped, and a fast peer that queues more can be kept busier: the
    /// bound becomes its figure, at least <see cref="MinDepth"/> and at most <see cref="MaxPeerDepth"/>
    /// (or the configured bound when that is higher). Requests already out stay out.
    /// </summary>
    public void PeerQueueAnnounced(int reqq) =>
        MaxDepth = Math.Clamp(reqq, Math.Max(MinDepth, _minDepth), Math.Max(MaxPeerDepth, _configuredMaxDepth));

    /// <summary>How many more requests to send now (what to pass to the picker as its block budget).</summary>
    public int Room(double bytesPerSecond) => Math.Max(0, TargetDepth(bytesPerSecond) - Outstanding);

    /// <summary>
    /// Requests were sent. The snub clock starts when the queue goes from empty to busy, unless it went
    /// empty by timing out: a silent peer must not look fresh again by being asked again.
    /// </summary>
    public void Sent(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (Outstanding == 0 && count > 0 && !_timedOut)
        {
            _lastProgress = _time.GetTimestamp();
        }

        Outstanding += count;
    }

    /// <summary>A requested block arrived: progress, so the peer is not snubbing us.</summary>
    public void Received()
    {
        _lastProgress = _time.GetTimestamp();
        _timedOut = false;
        if (Outstanding > 0)
        {
            Outstanding--;
        }
    }

    /// <summary>Requests ended without data (cancelled, rejected, or dropped by a choke).</summary>
    public void Released(int count) => Outstanding = Math.Max(0, Outstanding - count);

    /// <summary>Requests went unanswered past the request timeout: the peer is snubbing us until a block arrives (as libtorrent does).</summary>
    public void TimedOut(int count)
    {
        Released(count);
        _timedOut |= count > 0;
    }
}
