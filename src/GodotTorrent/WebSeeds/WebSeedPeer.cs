using GodotTorrent.Engine;
using GodotTorrent.Metainfo;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Swarm;

namespace GodotTorrent.WebSeeds;

/// <summary>
/// A BEP 19 web seed as the picker and request scheduler see it: a source that has every piece and
/// never chokes, except while it backs off after a failure. Requests are collected and sent as
/// ranged GETs over runs of contiguous blocks (up to <see cref="RunBytes"/> each, several at once);
/// blocks come back to the engine loop one by one through <c>onBlock</c>, and the end of each run
/// through <c>onRunEnded</c>. Its state is touched only on the engine loop; the HTTP work runs on
/// the background runner.
/// </summary>
internal sealed class WebSeedPeer : IRemotePeer, IDisposable
{
    /// <summary>Most bytes asked for in one GET: enough to keep a fast server streaming, few enough to spread the pieces.</summary>
    public const int RunBytes = 1024 * 1024;

    // Blocks posted to the loop together (256 KiB).
    private const int DeliveryBatch = 16;

    private readonly List<BlockRequest> _queued = [];
    private readonly HashSet<long> _queuedKeys = [];
    private readonly int _pieceLength;
    private readonly int _maxRuns;
    private readonly WebSeedPlanner _planner;
    private readonly HttpClient _client;
    private readonly WebSeedFetcher _fetcher;
    private readonly EngineLoop _loop;
    private readonly IBackgroundRunner _background;
    private readonly Action<WebSeedPeer, BlockRequest, byte[]> _onBlock;
    private readonly Action<WebSeedPeer, WebSeedRun, WebSeedFailure?> _onRunEnded;
    private CancellationTokenSource _cancel = new();
    private bool _pumpScheduled;
    private bool _closed;

    public WebSeedPeer(int id, string url, TorrentInfo torrent, WebSeedServices services,
        Action<WebSeedPeer, BlockRequest, byte[]> onBlock, Action<WebSeedPeer, WebSeedRun, WebSeedFailure?> onRunEnded)
    {
        ArgumentNullException.ThrowIfNull(services);
        Id = id;
        Url = url;
        _pieceLength = torrent.PieceLength;
        _maxRuns = services.ConnectionsPerServer;
        _planner = new WebSeedPlanner(url, torrent);
        _client = new HttpClient(services.Handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _fetcher = new WebSeedFetcher(_client, services.Time, services.RequestTimeout, services.UserAgent);
        _loop = services.Loop;
        _background = services.Background;
        _onBlock = onBlock;
        _onRunEnded = onRunEnded;
        Have = new Bitfield(torrent.PieceCount, value: true);

        // Asked for MiBs, not a few blocks: a full run for every connection, whatever the rate so far
        // (more as the rate shows it is fast), but not so much that peers find nothing left to ask for.
        int runBlocks = RunBytes / BlockRequest.BlockSize;
        Requests = new RequestQueue(services.Time, Math.Max(RequestQueue.DefaultMaxDepth, 2 * runBlocks * _maxRuns), minDepth: runBlocks * _maxRuns);
        ConnectedAt = services.Time.GetUtcNow();
    }

    public int Id { get; }

    /// <summary>The web seed's URL as the torrent or the app gave it.</summary>
    public string Url { get; }

    public bool IsClosed => _closed;

    /// <summary>We never upload to a web seed.</summary>
    public bool AmChoking => true;

    public bool AmInterested => !_closed;

    /// <summary>True while the web seed backs off after a failure: nothing is asked of it.</summary>
    public bool PeerChoking { get; private set; }

    public bool PeerInterested => false;

    public Bitfield? Have { get; }

    public RateMeter Download { get; } = new();

    public RateMeter Upload { get; } = new();

    public RequestQueue? Requests { get; }

    public Dictionary<long, (BlockRequest Block, DateTimeOffset Sent)> Outstanding { get; } = [];

    public DateTimeOffset? LastRequest { get; set; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>When the back-off ends, while <see cref="PeerChoking"/>.</summary>
    public DateTimeOffset? RetryAt { get; private set; }

    /// <summary>Failures since the last good run (the back-off doubles with each).</summary>
    public int FailuresInARow { get; set; }

    /// <summary>Replies that broke the rules (wrong range, HTTP 4xx, redirect loops); the web seed is dropped after a few.</summary>
    public int ProtocolStrikes { get; set; }

    /// <summary>Pieces made only of this web seed's data that failed their hash check.</summary>
    public int HashFailures { get; set; }

    /// <summary>The last failure, for <c>PeerInfo</c>.</summary>
    public WebSeedFailure? LastFailure { get; set; }

    /// <summary>Blocks received since the queue was last topped up.</summary>
    public int BlocksSinceRefill { get; set; }

    /// <summary>GETs in flight.</summary>
    public int RunsInFlight { get; private set; }

    public void SendRequest(BlockRequest block)
    {
        if (_queuedKeys.Add(PiecePicker.Key(block.Piece, block.BlockIndex)))
        {
            _queued.Add(block);
        }

        SchedulePump();
    }

    // A cancelled block is left out of the next GET (it is no longer outstanding); if a GET already
    // carries it, the scheduler drops the late copy.
    public void SendCancel(BlockRequest block)
    {
    }

    public void SendHave(int piece)
    {
    }

    /// <summary>Stops asking until <paramref name="until"/>; GETs in flight are abandoned (the caller gives their blocks back).</summary>
    public void BackOff(DateTimeOffset until)
    {
        PeerChoking = true;
        RetryAt = until;
        CancelRuns();
    }

    public void EndBackOff()
    {
        PeerChoking = false;
        RetryAt = null;
    }

    /// <summary>Stops for good: abandons GETs in flight and frees the HTTP client.</summary>
    public void Dispose()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        CancelRuns();
        _client.Dispose();
    }

    private void CancelRuns()
    {
        _cancel.Cancel();
        _cancel.Dispose();
        _cancel = new CancellationTokenSource();
        _queued.Clear();
        _queuedKeys.Clear();
    }

    private void SchedulePump()
    {
        if (_pumpScheduled)
        {
            return;
        }

        _pumpScheduled = true;
        _loop.Post(_ =>
        {
            _pumpScheduled = false;
            Pump();
        }, null);
    }

    /// <summary>Starts GETs for the queued blocks while connections are free.</summary>
    public void Pump()
    {
        if (_closed || PeerChoking)
        {
            return;
        }

        _queued.RemoveAll(b => !Outstanding.ContainsKey(PiecePicker.Key(b.Piece, b.BlockIndex)) && _queuedKeys.Remove(PiecePicker.Key(b.Piece, b.BlockIndex)));
        _queued.Sort((a, b) => Start(a).CompareTo(Start(b)));
        while (RunsInFlight < _maxRuns && _queued.Count > 0)
        {
            // The queue is topped up a few blocks at a time, so the queued blocks often end halfway
            // through a piece whose rest is coming: with a GET already out, only a full run starts
            // (a whole GET's worth, or a whole piece); with none out, the longest there is.
            var (first, end) = PickRun(full: RunsInFlight > 0);
            if (first < 0)
            {
                break;
            }

            var blocks = TakeRun(first, end);
            long start = Start(blocks[0]);
            long length = Start(blocks[^1]) + blocks[^1].Length - start;
            StartRun(new WebSeedRun(blocks, _planner.Plan(start, length)));
        }
    }

    // The chosen run's bounds in the sorted queue (end exclusive), or (-1, -1) when none qualifies.
    private (int First, int End) PickRun(bool full)
    {
        long fullRun = Math.Min(RunBytes, _pieceLength);
        (int First, int End) best = (-1, -1);
        long bestBytes = 0;
        for (int i = 0; i < _queued.Count;)
        {
            int end = RunEnd(i, out long bytes);
            if (bytes >= fullRun)
            {
                return (i, end);
            }

            if (bytes > bestBytes)
            {
                (best, bestBytes) = ((i, end), bytes);
            }

            i = end;
        }

        return full ? (-1, -1) : best;
    }

    // The end (exclusive) of the contiguous run that starts at `first`, capped at RunBytes.
    private int RunEnd(int first, out long bytes)
    {
        bytes = _queued[first].Length;
        int end = first + 1;
        while (end < _queued.Count && bytes + _queued[end].Length <= RunBytes
            && Start(_queued[end]) == Start(_queued[end - 1]) + _queued[end - 1].Length)
        {
            bytes += _queued[end].Length;
            end++;
        }

        return end;
    }

    private List<BlockRequest> TakeRun(int first, int end)
    {
        var blocks = _queued.GetRange(first, end - first);
        foreach (var block in blocks)
        {
            _queuedKeys.Remove(PiecePicker.Key(block.Piece, block.BlockIndex));
        }

        _queued.RemoveRange(first, end - first);
        return blocks;
    }

    private long Start(BlockRequest block) => ((long)block.Piece * _pieceLength) + block.Offset;

    private void StartRun(WebSeedRun run)
    {
        RunsInFlight++;
        var token = _cancel.Token;
        _ = FetchAsync(run, token);
    }

    private async Task FetchAsync(WebSeedRun run, CancellationToken token)
    {
        WebSeedFailure? failure;
        bool cancelled = false;

        // Blocks go to the loop a batch at a time: one post per block was a thread wake-up per 16 KiB.
        var batch = new List<(BlockRequest Block, byte[] Buffer)>(DeliveryBatch);
        void Deliver(BlockRequest block, byte[] buffer)
        {
            batch.Add((block, buffer));
            if (batch.Count == DeliveryBatch)
            {
                Post(batch);
                batch = new List<(BlockRequest Block, byte[] Buffer)>(DeliveryBatch);
            }
        }

        try
        {
            failure = await _background.Run(() => _fetcher.FetchAsync(run, Deliver, token)).ConfigureAwait(true);
        }
        catch (OperationCanceledException)
        {
            failure = null;
            cancelled = true;
        }
        catch (Exception error) when (error is HttpRequestException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            failure = new WebSeedFailure(ErrorCode.WebSeedConnectFailed, 0, error.Message, Permanent: false);
        }
        catch (Exception error) when (error is NotSupportedException or UriFormatException)
        {
            // A torrent's or a magnet's url-list is a stranger's text (ftp://, file://, "http://[::1/"):
            // such a seed is dropped, where the escaping exception left this run counted forever.
            failure = new WebSeedFailure(ErrorCode.WebSeedHttpError, 0, $"not a usable http or https URL: {error.Message}", Permanent: true);
        }

        // The blocks filled before a failure are good: they go first, then the run's end.
        if (batch.Count > 0)
        {
            Post(batch);
        }

        _loop.Post(_ =>
        {
            RunsInFlight--;
            if (!cancelled)
            {
                _onRunEnded(this, run, failure);
            }

            Pump();
        }, null);
    }

    private void Post(List<(BlockRequest Block, byte[] Buffer)> blocks) => _loop.Post(_ =>
    {
        foreach (var (block, buffer) in blocks)
        {
            _onBlock(this, block, buffer);
        }
    }, null);
}
