using System.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Peers;

/// <summary>
/// One torrent's known peers: candidates with their sources and back-off, the per-address
/// records (strikes, back-off, bans) that outlive connections, and the order to dial in. Engine loop only.
/// </summary>
internal sealed class PeerList(int capacity = PeerList.DefaultCapacity)
{
    public const int DefaultCapacity = 2000;

    // Records are made only for peers that earned a strike or a ban; past this, clean ones make room.
    private const int MaxRecords = 4096;

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DuplicateDelay = TimeSpan.FromMinutes(1);

    private readonly Dictionary<IPEndPoint, PeerCandidate> _candidates = [];
    private readonly Dictionary<IPEndPoint, PeerAddressRecord> _records = [];
    private readonly HashSet<PeerId> _bannedIds = [];
    private long _nextOrder;

    /// <summary>Several peers on one address are told apart by port (bans then name the endpoint).</summary>
    public bool AllowMultiplePerAddress { get; set; }

    public int Count => _candidates.Count;

    public IEnumerable<PeerCandidate> Candidates => _candidates.Values;

    /// <summary>
    /// Learns an endpoint, or merges a further source and PEX flags into the one known. Returns
    /// the candidate, or null when the endpoint is unusable or the list is full.
    /// </summary>
    public PeerCandidate? Add(IPEndPoint endPoint, PeerSource source, PexFlags flags = PexFlags.None)
    {
        endPoint = Normalize(endPoint);
        if (endPoint.Port == 0)
        {
            return null;
        }

        if (!_candidates.TryGetValue(endPoint, out var candidate))
        {
            if (_candidates.Count >= capacity)
            {
                return null;
            }

            candidate = new PeerCandidate(endPoint, source, _nextOrder++);
            _candidates[endPoint] = candidate;
        }

        candidate.Sources |= source;
        candidate.PexFlags |= flags;
        return candidate;
    }

    public bool TryGet(IPEndPoint endPoint, out PeerCandidate candidate) =>
        _candidates.TryGetValue(Normalize(endPoint), out candidate!);

    /// <summary>
    /// The candidates that may be dialled now, best first: fewest failures, then the most direct
    /// source (the application and trackers before exchanged peers), then the longest known.
    /// </summary>
    public IEnumerable<PeerCandidate> DialOrder(DateTimeOffset now, bool seeding) =>
        _candidates.Values
            .Where(c => !c.Connected && !c.Connecting && !c.Banned && c.NextAttempt <= now
                && !(c.WasSeed && seeding) && MayDial(c.EndPoint, now))
            .OrderBy(c => c.Failures)
            .ThenBy(c => SourceRank(c.Sources))
            .ThenBy(c => c.Order);

    /// <summary>Candidates that could be dialled now if there were room (for the status).</summary>
    public int CountDialable(DateTimeOffset now)
    {
        // Counted every tick for every torrent: a plain loop, no enumerator allocation.
        int count = 0;
        foreach (var c in _candidates.Values)
        {
            count += !c.Connected && !c.Connecting && !c.Banned && c.NextAttempt <= now ? 1 : 0;
        }

        return count;
    }

    /// <summary>A dial failed: back off 5 s, 10 s, 20 s ... up to 10 minutes.</summary>
    public static void ConnectFailed(PeerCandidate candidate, DateTimeOffset now)
    {
        candidate.Connecting = false;
        candidate.Failures++;
        candidate.NextAttempt = now + RetryDelay(candidate.Failures);
    }

    public static void Connected(PeerCandidate candidate)
    {
        candidate.Connecting = false;
        candidate.Connected = true;
        candidate.Failures = 0;
    }

    /// <summary>A connection ended; the peer is dialled again after a short pause.</summary>
    public static void Disconnected(PeerCandidate candidate, bool wasSeed, DateTimeOffset now)
    {
        candidate.Connected = false;
        candidate.WasSeed = wasSeed;
        candidate.NextAttempt = now + ReconnectDelay;
    }

    /// <summary>The peer was already connected some other way: try it again much later.</summary>
    public static void WasDuplicate(PeerCandidate candidate, DateTimeOffset now) => candidate.NextAttempt = now + DuplicateDelay;

    /// <summary>The application asked for this peer: dial it at the next chance, whatever its history.</summary>
    public static void RetryNow(PeerCandidate candidate)
    {
        candidate.NextAttempt = default;
        candidate.Banned = false;
        candidate.WasSeed = false;
    }

    /// <summary>Peers we closed ourselves (a pause, a queue) are dialled at once; ones that failed keep their back-off.</summary>
    public void ResetReconnectDelays()
    {
        foreach (var candidate in _candidates.Values)
        {
            if (candidate.Failures == 0)
            {
                candidate.NextAttempt = default;
            }
        }
    }

    /// <summary>Bans the address (or endpoint) and, when known, the peer id; survives reconnects and re-adds.</summary>
    public void Ban(IPEndPoint endPoint, PeerId? peerId, string reason)
    {
        var record = Record(endPoint);
        record.Banned = true;
        record.BanReason = reason;
        if (peerId is { } id)
        {
            _bannedIds.Add(id);
        }

        if (_candidates.TryGetValue(Normalize(endPoint), out var candidate))
        {
            candidate.Banned = true;
        }
    }

    /// <summary>
    /// A strike for a piece this peer alone sent that failed, or that smart ban proved it
    /// corrupted. Returns true when it reached <paramref name="maxStrikes"/> (the caller bans it).
    /// </summary>
    public bool HashStrike(IPEndPoint endPoint, int maxStrikes) => Record(endPoint).AddHashStrike() >= maxStrikes;

    /// <summary>
    /// A strike for breaking the protocol: the address is not dialled again until its back-off
    /// has passed. Returns true when it reached <paramref name="maxStrikes"/> (the caller bans it).
    /// </summary>
    public bool ProtocolStrike(IPEndPoint endPoint, DateTimeOffset now, int maxStrikes)
    {
        var record = Record(endPoint);
        int strikes = record.AddProtocolStrike(now);
        if (_candidates.TryGetValue(Normalize(endPoint), out var candidate) && candidate.NextAttempt < record.NotBefore)
        {
            candidate.NextAttempt = record.NotBefore;
        }

        return strikes >= maxStrikes;
    }

    /// <summary>Not banned and not backing off after a protocol strike.</summary>
    public bool MayDial(IPEndPoint endPoint, DateTimeOffset now) =>
        !_records.TryGetValue(RecordKey(endPoint), out var record) || (!record.Banned && record.NotBefore <= now);

    /// <summary>The record if the address has one (no record is made).</summary>
    public PeerAddressRecord? FindRecord(IPEndPoint endPoint) => _records.GetValueOrDefault(RecordKey(endPoint));

    public bool IsBanned(IPEndPoint endPoint, PeerId? peerId) =>
        (_records.TryGetValue(RecordKey(endPoint), out var record) && record.Banned)
        || (peerId is { } id && _bannedIds.Contains(id));

    /// <summary>The per-address record, created on first use.</summary>
    public PeerAddressRecord Record(IPEndPoint endPoint)
    {
        var key = RecordKey(endPoint);
        if (!_records.TryGetValue(key, out var record))
        {
            if (_records.Count >= MaxRecords)
            {
                ForgetUnbannedRecords();
            }

            record = new PeerAddressRecord(key);
            _records[key] = record;
        }

        return record;
    }

    /// <summary>Forgets idle candidates the filter blocks; returns them (the caller says so in alerts).</summary>
    public List<IPEndPoint> RemoveBlocked(Func<IPAddress, bool> isBlocked)
    {
        var removed = new List<IPEndPoint>();
        foreach (var (endPoint, candidate) in _candidates)
        {
            if (!candidate.Connected && !candidate.Connecting && isBlocked(endPoint.Address))
            {
                removed.Add(endPoint);
            }
        }

        foreach (var endPoint in removed)
        {
            _candidates.Remove(endPoint);
        }

        return removed;
    }

    /// <summary>Drops the sources not in <paramref name="allowed"/>; idle candidates left with none are forgotten.</summary>
    public void RestrictSources(PeerSource allowed)
    {
        foreach (var candidate in _candidates.Values.ToList())
        {
            candidate.Sources &= allowed;
            if (candidate.Sources == PeerSource.None && !candidate.Connected && !candidate.Connecting)
            {
                _candidates.Remove(candidate.EndPoint);
            }
        }
    }

    // Under a flood of misbehaving addresses the strikes of the unbanned are the part given up.
    private void ForgetUnbannedRecords()
    {
        foreach (var (key, record) in _records)
        {
            if (!record.Banned)
            {
                _records.Remove(key);
            }
        }
    }

    private static TimeSpan RetryDelay(int failures) => TimeSpan.FromSeconds(Math.Min(600, 5 * Math.Pow(2, Math.Min(failures - 1, 7))));

    private static int SourceRank(PeerSource sources) =>
        (sources & (PeerSource.Manual | PeerSource.ResumeData)) != 0 ? 0
        : (sources & PeerSource.Tracker) != 0 ? 1
        : (sources & (PeerSource.Dht | PeerSource.Lsd)) != 0 ? 2
        : 3;

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private IPEndPoint RecordKey(IPEndPoint endPoint)
    {
        endPoint = Normalize(endPoint);
        return AllowMultiplePerAddress ? endPoint : new IPEndPoint(endPoint.Address, 0);
    }
}
