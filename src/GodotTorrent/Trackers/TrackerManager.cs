using System.Net;
using GodotTorrent.Metainfo;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Trackers;

/// <summary>
/// The trackers of one torrent, in tiers (BEP 12): each tier is shuffled once, trackers are tried
/// in order until one answers, and the one that answered moves to the front of its tier. Tiers
/// are tried in order until one works, unless <see cref="TrackerOptions.AnnounceToAllTiers"/>.
/// Keeps per-tracker state (intervals, back-off, errors, counts) and hands results back as data:
/// it never touches the engine loop, so the engine awaits it and posts the results itself.
/// Safe to call from any thread; announces are serialized.
/// Only the trackers the app gives are ever used (a private torrent's own, for example).
/// </summary>
internal sealed class TrackerManager : IDisposable
{
    private static readonly Action<ILogger, string, ErrorCode, string, Exception?> LogFailure =
        LoggerMessage.Define<string, ErrorCode, string>(LogLevel.Debug, new EventId(1, "TrackerFailed"), "Tracker {Url} failed ({Code}): {Message}");

    private readonly object _lock = new();
    private readonly List<List<TrackerEntry>> _tiers = [];
    private readonly ReadOnlyMemory<byte> _infoHash;
    private readonly ReadOnlyMemory<byte> _peerId;
    private readonly Func<int> _listenPort;
    private readonly ITrackerClientFactory _clients;
    private readonly TrackerOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger? _logger;
    private readonly uint _key;
    private readonly SemaphoreSlim _announceGate = new(1, 1);
    private CancellationTokenSource _lifetime = new();
    private bool _disposed;

    /// <param name="tiers">Tracker URLs by tier (a torrent's <c>announce-list</c>, or the app's); duplicates are dropped.</param>
    /// <param name="infoHashes">The torrent; announces carry the v1 hash, or the v2 hash truncated to 20 bytes (BEP 52).</param>
    /// <param name="peerId">The session's 20-byte peer id.</param>
    /// <param name="listenPort">The port to announce, read at each announce (it can change at run time).</param>
    /// <param name="clients">Makes the client for each tracker URL.</param>
    /// <param name="options">Limits and policies; defaults when null.</param>
    /// <param name="time">The clock for intervals and back-off.</param>
    /// <param name="random">Shuffles tiers and makes the announce key; seed it in tests.</param>
    /// <param name="logger">Debug logging of failures.</param>
    public TrackerManager(
        IEnumerable<IEnumerable<string>> tiers,
        InfoHashes infoHashes,
        ReadOnlyMemory<byte> peerId,
        Func<int> listenPort,
        ITrackerClientFactory clients,
        TrackerOptions? options = null,
        TimeProvider? time = null,
        Random? random = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        if (peerId.Length != 20)
        {
            throw new ArgumentException("A peer id has 20 bytes.", nameof(peerId));
        }

        _infoHash = infoHashes.Primary.Truncated.ToArray();
        _peerId = peerId.ToArray();
        _listenPort = listenPort;
        _clients = clients;
        _options = options ?? new TrackerOptions();
        _time = time ?? TimeProvider.System;
        _random = random ?? new Random();
        _logger = logger;
        _key = (uint)_random.NextInt64(0, 1L << 32);
        SetTiers(tiers);
    }

    /// <summary>The number of trackers, usable or not.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _tiers.Sum(t => t.Count);
            }
        }
    }

    /// <summary>Snapshots of every tracker, tier by tier in the order they are tried.</summary>
    public IReadOnlyList<TrackerStatus> GetStatus()
    {
        lock (_lock)
        {
            return _tiers.SelectMany(t => t).Select(e => e.ToStatus()).ToArray();
        }
    }

    /// <summary>
    /// True when a regular announce would contact some tracker now: the working tracker of the
    /// first tier that has one has reached its interval, or a tier has no working tracker and one
    /// of its trackers is past its back-off.
    /// </summary>
    public bool IsAnnounceDue(DateTimeOffset now)
    {
        lock (_lock)
        {
            foreach (var tier in _tiers)
            {
                bool satisfied = false;
                foreach (var entry in tier)
                {
                    if (!entry.Enabled)
                    {
                        continue;
                    }

                    if (entry.NextAnnounce <= now)
                    {
                        return true;
                    }

                    if (entry.Working)
                    {
                        satisfied = true;
                        if (!_options.AnnounceToAllTrackers)
                        {
                            break;
                        }
                    }
                }

                if (satisfied && !_options.AnnounceToAllTiers)
                {
                    return false;
                }
            }

            return false;
        }
    }

    /// <summary>The earliest time any tracker becomes due (the engine can sleep until then), or null when none can be contacted.</summary>
    public DateTimeOffset? NextAnnounceTime()
    {
        lock (_lock)
        {
            var times = _tiers.SelectMany(t => t).Where(e => e.Enabled).Select(e => e.NextAnnounce).ToList();
            return times.Count == 0 ? null : times.Min();
        }
    }

    /// <summary>
    /// Announces <paramref name="announceEvent"/> walking the tiers as BEP 12 says. Regular
    /// announces (<see cref="AnnounceEvent.None"/>) only contact trackers that are due; events
    /// contact the trackers the walk reaches right away. A tracker that has not yet had a
    /// successful <c>started</c> gets <c>started</c> instead of a regular or <c>completed</c>
    /// announce. Failures never throw: they are in the outcome's events and the tracker's status.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled by the token or by <see cref="StopAsync"/>.</exception>
    public async Task<AnnounceOutcome> AnnounceAsync(AnnounceEvent announceEvent, TransferStats stats, CancellationToken cancellationToken = default)
    {
        if (announceEvent == AnnounceEvent.Stopped)
        {
            return await StopAsync(stats, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        await _announceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CancellationTokenSource lifetime;
            lock (_lock)
            {
                lifetime = _lifetime;
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.Token);
            var collector = new Collector();
            var now = _time.GetUtcNow();
            var tiers = SnapshotTiers();
            if (_options.AnnounceToAllTiers)
            {
                await Task.WhenAll(tiers.Select(t => AnnounceTierAsync(t, announceEvent, stats, now, collector, linked.Token))).ConfigureAwait(false);
            }
            else
            {
                foreach (var tier in tiers)
                {
                    if (await AnnounceTierAsync(tier, announceEvent, stats, now, collector, linked.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }

            return collector.ToAnnounceOutcome();
        }
        finally
        {
            _announceGate.Release();
        }
    }

    /// <summary>
    /// Sends <c>stopped</c> to every tracker that was told <c>started</c>, in parallel, giving up
    /// after <paramref name="deadline"/> (shutdown must not wait on a dead tracker). An announce
    /// in progress is cancelled first. Afterwards the manager can start again.
    /// </summary>
    public async Task<AnnounceOutcome> StopAsync(TransferStats stats, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CancellationTokenSource old;
        lock (_lock)
        {
            old = _lifetime;
            _lifetime = new CancellationTokenSource();
        }

        await old.CancelAsync().ConfigureAwait(false);
        using var timeout = deadline == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(deadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var collector = new Collector();
        try
        {
            await _announceGate.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return collector.ToAnnounceOutcome();
        }

        try
        {
            old.Dispose();
            List<TrackerEntry> started;
            lock (_lock)
            {
                started = _tiers.SelectMany(t => t).Where(e => e.StartSent && e.Enabled).ToList();
            }

            await Task.WhenAll(started.Select(async e =>
            {
                try
                {
                    await AnnounceOneAsync(e, AnnounceEvent.Stopped, stats, collector, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Past the deadline: the tracker will time us out on its own.
                }
            })).ConfigureAwait(false);
            return collector.ToAnnounceOutcome();
        }
        finally
        {
            _announceGate.Release();
        }
    }

    /// <summary>
    /// Makes every tracker due now (the user's "force reannounce"), except that a tracker's
    /// <c>min interval</c> is honoured unless <paramref name="ignoreMinInterval"/>: trackers ban
    /// clients that announce faster than it.
    /// </summary>
    public void ForceReannounce(bool ignoreMinInterval = false)
    {
        lock (_lock)
        {
            foreach (var entry in _tiers.SelectMany(t => t))
            {
                entry.NextAnnounce = !ignoreMinInterval && entry.MinAnnounce is { } min ? min : DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>Asks every usable tracker for the swarm's counts (BEP 48 for HTTP, BEP 15 for UDP), at most a few at a time.</summary>
    public async Task<ScrapeOutcome> ScrapeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var entries = SnapshotTiers().SelectMany(t => t).ToList();
        var collector = new Collector();
        var replies = new Dictionary<string, ScrapeResponse>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (entry, token) =>
        {
            var client = GetClient(entry, out var error);
            if (client is null)
            {
                collector.Add(new TrackerEvent(entry.Url, TrackerEventKind.ScrapeFailed) { Error = error!.ErrorCode, Message = error.Message });
                return;
            }

            try
            {
                var reply = await client.ScrapeAsync(_infoHash, token).ConfigureAwait(false);
                lock (_lock)
                {
                    entry.Seeds = reply.Complete;
                    entry.Peers = reply.Incomplete;
                    entry.Downloaded = reply.Downloaded;
                    replies[entry.Url] = reply;
                }

                collector.Add(new TrackerEvent(entry.Url, TrackerEventKind.ScrapeReply) { Complete = reply.Complete, Incomplete = reply.Incomplete });
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                var failure = AsTrackerException(e);
                collector.Add(new TrackerEvent(entry.Url, TrackerEventKind.ScrapeFailed) { Error = failure.ErrorCode, Message = failure.Message, HttpStatus = failure.HttpStatus });
            }
        }).ConfigureAwait(false);
        lock (_lock)
        {
            return new ScrapeOutcome(new Dictionary<string, ScrapeResponse>(replies, StringComparer.Ordinal), collector.Events);
        }
    }

    /// <summary>Adds a tracker at the end of <paramref name="tier"/> (created if needed); false when it is already there.</summary>
    /// <exception cref="TrackerException">The URL is malformed or its scheme unsupported (<see cref="ErrorCode.UnsupportedTrackerUrl"/>).</exception>
    public bool AddTracker(string url, int tier)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentOutOfRangeException.ThrowIfNegative(tier);
        var uri = ParseUrl(url) ?? throw new TrackerException(ErrorCode.UnsupportedTrackerUrl, $"'{url}' is not an http, https or udp tracker URL");
        lock (_lock)
        {
            if (Find(url) is not null)
            {
                return false;
            }

            while (_tiers.Count <= tier)
            {
                _tiers.Add([]);
            }

            tier = Math.Min(tier, _tiers.FindLastIndex(t => t.Count > 0) + 1);
            _tiers[tier].Add(new TrackerEntry(url, uri, tier));
            RemoveEmptyTiers();
            return true;
        }
    }

    /// <summary>Removes a tracker; false when it is not there. An announce to it in progress finishes unseen.</summary>
    public bool RemoveTracker(string url)
    {
        lock (_lock)
        {
            var entry = Find(url);
            if (entry is null)
            {
                return false;
            }

            _tiers[entry.Tier].Remove(entry);
            Retire(entry);
            RemoveEmptyTiers();
            return true;
        }
    }

    /// <summary>
    /// Replaces the tracker list (the app's <c>replace_trackers</c>). Trackers in both lists keep
    /// their state (intervals, back-off, <c>started</c> sent); the rest are dropped. Tiers are shuffled again.
    /// </summary>
    public void ReplaceTrackers(IEnumerable<IEnumerable<string>> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        lock (_lock)
        {
            var old = _tiers.SelectMany(t => t).ToDictionary(e => e.Url, StringComparer.Ordinal);
            _tiers.Clear();
            SetTiers(tiers, old);
            foreach (var gone in old.Values)
            {
                Retire(gone);
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_lock)
        {
            _lifetime.Cancel();
            foreach (var entry in _tiers.SelectMany(t => t))
            {
                entry.Client?.Dispose();
            }
        }
    }

    private async Task<bool> AnnounceTierAsync(TrackerEntry[] tier, AnnounceEvent announceEvent, TransferStats stats, DateTimeOffset now, Collector collector, CancellationToken cancellationToken)
    {
        if (_options.AnnounceToAllTrackers)
        {
            var due = tier.Where(e => e.Enabled && IsDue(e, announceEvent, now)).ToList();
            bool[] answered = await Task.WhenAll(due.Select(e => AnnounceOneAsync(e, announceEvent, stats, collector, cancellationToken))).ConfigureAwait(false);
            lock (_lock)
            {
                return answered.Any(a => a) || tier.Any(e => e.Enabled && e.Working && !due.Contains(e));
            }
        }

        foreach (var entry in tier)
        {
            if (!entry.Enabled)
            {
                continue;
            }

            if (!IsDue(entry, announceEvent, now))
            {
                bool working;
                lock (_lock)
                {
                    working = entry.Working;
                }

                if (working)
                {
                    return true; // this tier's tracker works and is not due yet
                }

                continue; // backing off after failures: BEP 12 says try the next one
            }

            if (await AnnounceOneAsync(entry, announceEvent, stats, collector, cancellationToken).ConfigureAwait(false))
            {
                Promote(entry);
                return true;
            }
        }

        return false;
    }

    private bool IsDue(TrackerEntry entry, AnnounceEvent announceEvent, DateTimeOffset now)
    {
        lock (_lock)
        {
            return announceEvent != AnnounceEvent.None || entry.NextAnnounce <= now;
        }
    }

    /// <summary>Announces to one tracker; true when it answered. Failures are recorded, not thrown.</summary>
    private async Task<bool> AnnounceOneAsync(TrackerEntry entry, AnnounceEvent announceEvent, TransferStats stats, Collector collector, CancellationToken cancellationToken)
    {
        var client = GetClient(entry, out var clientError);
        if (client is null)
        {
            RecordFailure(entry, clientError!, collector);
            return false;
        }

        AnnounceRequest request;
        lock (_lock)
        {
            // A tracker that never acknowledged "started" has not counted us yet.
            var sent = announceEvent is AnnounceEvent.None or AnnounceEvent.Completed && !entry.StartSent
                ? AnnounceEvent.Started
                : announceEvent;
            request = new AnnounceRequest
            {
                InfoHash = _infoHash,
                PeerId = _peerId,
                Port = Math.Clamp(_listenPort(), 0, IPEndPoint.MaxPort),
                Stats = stats,
                Event = sent,
                NumWant = sent == AnnounceEvent.Stopped ? 0 : _options.NumWant,
                Key = _key,
                TrackerId = entry.TrackerId,
            };
            entry.Updating = true;
        }

        collector.Add(new TrackerEvent(entry.Url, TrackerEventKind.Announce) { Event = request.Event });
        AnnounceResponse response;
        try
        {
            response = await client.AnnounceAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_lock)
            {
                entry.Updating = false;
            }

            throw;
        }
        catch (Exception e)
        {
            // Whatever a tracker or its socket does, it becomes a typed failure of that tracker.
            RecordFailure(entry, AsTrackerException(e), collector);
            return false;
        }

        RecordSuccess(entry, request.Event, response, collector);
        return true;
    }

    private void RecordSuccess(TrackerEntry entry, AnnounceEvent sent, AnnounceResponse response, Collector collector)
    {
        var now = _time.GetUtcNow();
        var interval = Clamp(response.Interval ?? _options.DefaultInterval, _options.MinimumInterval, _options.MaximumInterval);
        lock (_lock)
        {
            entry.Updating = false;
            if (entry.Removed)
            {
                return;
            }

            entry.Working = true;
            entry.Failures = 0;
            entry.LastError = ErrorCode.None;
            entry.LastErrorMessage = null;
            entry.LastHttpStatus = 0;
            entry.LastAnnounce = now;
            entry.Interval = interval;
            entry.NextAnnounce = sent == AnnounceEvent.Stopped ? DateTimeOffset.MinValue : now + interval;
            entry.MinAnnounce = response.MinInterval is { } min ? now + Clamp(min, TimeSpan.Zero, interval) : null;
            entry.StartSent = sent != AnnounceEvent.Stopped;
            entry.Warning = response.Warning;
            entry.TrackerId = response.TrackerId ?? entry.TrackerId;
            entry.Seeds = response.Complete ?? entry.Seeds;
            entry.Peers = response.Incomplete ?? entry.Peers;
        }

        collector.AddPeers(response.Peers);
        collector.Add(new TrackerEvent(entry.Url, TrackerEventKind.Reply) { Event = sent, PeerCount = response.Peers.Count });
        if (!string.IsNullOrEmpty(response.Warning))
        {
            collector.Add(new TrackerEvent(entry.Url, TrackerEventKind.Warning) { Message = response.Warning });
        }
    }

    private void RecordFailure(TrackerEntry entry, TrackerException error, Collector collector)
    {
        var now = _time.GetUtcNow();
        int failures;
        lock (_lock)
        {
            entry.Updating = false;
            if (entry.Removed)
            {
                return;
            }

            failures = ++entry.Failures;
            entry.Working = false;
            entry.LastError = error.ErrorCode;
            entry.LastErrorMessage = error.Message;
            entry.LastHttpStatus = error.HttpStatus;
            entry.LastAnnounce = now;

            // Back off exponentially so a dead tracker costs little; never past the maximum.
            double factor = Math.Pow(2, Math.Min(failures - 1, 30));
            var wait = TimeSpan.FromTicks((long)Math.Min(_options.FailureRetryBase.Ticks * factor, _options.FailureRetryMax.Ticks));
            entry.NextAnnounce = now + wait;
        }

        if (_logger is not null)
        {
            LogFailure(_logger, entry.Url, error.ErrorCode, error.Message, null);
        }

        collector.Add(new TrackerEvent(entry.Url, TrackerEventKind.Error)
        {
            TimesInARow = failures,
            HttpStatus = error.HttpStatus,
            Error = error.ErrorCode,
            Message = error.Message,
        });
    }

    private static TrackerException AsTrackerException(Exception e) => e switch
    {
        TrackerException tracker => tracker,
        ObjectDisposedException => new TrackerException(ErrorCode.Cancelled, "The tracker was removed", innerException: e),
        OperationCanceledException => new TrackerException(ErrorCode.TrackerTimeout, "The tracker did not answer in time", innerException: e),
        _ => new TrackerException(ErrorCode.TrackerConnectFailed, $"The tracker request failed: {e.Message}", innerException: e),
    };

    private ITrackerClient? GetClient(TrackerEntry entry, out TrackerException? error)
    {
        error = null;
        lock (_lock)
        {
            if (entry.Client is not null)
            {
                return entry.Client;
            }

            if (entry.Uri is null || entry.Removed)
            {
                error = new TrackerException(ErrorCode.UnsupportedTrackerUrl, $"'{entry.Url}' is not a usable tracker URL");
                return null;
            }

            try
            {
                return entry.Client = _clients.Create(entry.Uri);
            }
            catch (TrackerException e)
            {
                error = e;
                return null;
            }
        }
    }

    private void Promote(TrackerEntry entry)
    {
        // BEP 12: the tracker that answered moves to the front of its tier.
        lock (_lock)
        {
            if (entry.Removed || entry.Tier >= _tiers.Count)
            {
                return;
            }

            var tier = _tiers[entry.Tier];
            if (tier.Remove(entry))
            {
                tier.Insert(0, entry);
            }
        }
    }

    private TrackerEntry[][] SnapshotTiers()
    {
        lock (_lock)
        {
            return _tiers.Select(t => t.ToArray()).ToArray();
        }
    }

    private void SetTiers(IEnumerable<IEnumerable<string>> tiers, Dictionary<string, TrackerEntry>? keep = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var urls in tiers)
        {
            var tier = new List<TrackerEntry>();
            foreach (string url in urls)
            {
                if (string.IsNullOrWhiteSpace(url) || !seen.Add(url))
                {
                    continue;
                }

                if (keep is not null && keep.Remove(url, out var existing))
                {
                    existing.Tier = _tiers.Count;
                    tier.Add(existing);
                    continue;
                }

                var uri = ParseUrl(url);
                var entry = new TrackerEntry(url, uri, _tiers.Count);
                if (uri is null)
                {
                    entry.LastError = ErrorCode.UnsupportedTrackerUrl;
                    entry.LastErrorMessage = $"'{url}' is not an http, https or udp tracker URL";
                }

                tier.Add(entry);
            }

            if (tier.Count > 0)
            {
                // BEP 12: shuffle each tier once, so clients spread over a tier's trackers.
                var shuffled = tier.ToArray();
                _random.Shuffle(shuffled);
                _tiers.Add([.. shuffled]);
            }
        }
    }

    private Uri? ParseUrl(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && _clients.Supports(uri) ? uri : null;

    private TrackerEntry? Find(string url) => _tiers.SelectMany(t => t).FirstOrDefault(e => e.Url == url);

    private static void Retire(TrackerEntry entry)
    {
        entry.Removed = true;
        entry.Client?.Dispose();
        entry.Client = null;
    }

    private void RemoveEmptyTiers()
    {
        _tiers.RemoveAll(t => t.Count == 0);
        for (int i = 0; i < _tiers.Count; i++)
        {
            foreach (var entry in _tiers[i])
            {
                entry.Tier = i;
            }
        }
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;

    /// <summary>Gathers peers and events from trackers answering concurrently.</summary>
    private sealed class Collector
    {
        private readonly object _gate = new();
        private readonly List<TrackerEvent> _events = [];
        private readonly PeerListBuilder _peers = new(int.MaxValue);

        public IReadOnlyList<TrackerEvent> Events
        {
            get
            {
                lock (_gate)
                {
                    return _events.ToArray();
                }
            }
        }

        public void Add(TrackerEvent trackerEvent)
        {
            lock (_gate)
            {
                _events.Add(trackerEvent);
            }
        }

        public void AddPeers(IReadOnlyList<IPEndPoint> peers)
        {
            lock (_gate)
            {
                foreach (var peer in peers)
                {
                    _peers.Add(peer.Address, peer.Port);
                }
            }
        }

        public AnnounceOutcome ToAnnounceOutcome()
        {
            lock (_gate)
            {
                return new AnnounceOutcome(_peers.Peers.ToArray(), _events.ToArray());
            }
        }
    }
}
