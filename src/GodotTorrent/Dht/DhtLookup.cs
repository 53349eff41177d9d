using System.Net;
using GodotTorrent.Dht.Items;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// One iterative lookup (BEP 5): the candidates sorted by distance to the target, alpha queries
/// in flight, done when the 8 closest live candidates have all answered and none closer is still
/// unasked or pending, or at the deadline. A get_peers lookup collects peers (deduplicated) and
/// write tokens, then announces to the 8 closest that gave a token when asked to. A BEP 44 get
/// lookup is the same walk: it checks each reply's item (<see cref="Search"/>) or, for a put,
/// puts the item to the 8 closest that gave a token instead of announcing.
/// </summary>
internal sealed class DhtLookup
{
    public const int K = 8;

    /// <summary>
    /// Answers from this many of the closest live candidates end a lookup: a little more than K,
    /// so a dead node among a reply's 8 does not hide a live one (the result is still the closest K).
    /// </summary>
    public const int ConvergeSet = 10;

    /// <summary>Candidates kept; the farthest unasked are dropped beyond it.</summary>
    public const int MaxCandidates = 64;

    /// <summary>Nodes taken from one reply (BEP 5 replies carry the 8 closest): a liar cannot flood the lookup.</summary>
    public const int MaxNodesPerReply = 8;

    /// <summary>Peers one lookup delivers at most.</summary>
    public const int MaxPeers = 1000;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly List<LookupCandidate> _candidates = [];
    private readonly HashSet<IPEndPoint> _endPoints = [];
    private readonly HashSet<Id20> _ids = [];
    private readonly HashSet<IPEndPoint> _peers = [];

    public DhtLookup(Id20 target, KrpcMethod method, DateTimeOffset now, Id20 own)
    {
        Target = target;
        Method = method;
        Deadline = now + Timeout;
        _ids.Add(own);
    }

    public Id20 Target { get; }

    /// <summary><see cref="KrpcMethod.FindNode"/>, <see cref="KrpcMethod.GetPeers"/> or <see cref="KrpcMethod.Get"/>.</summary>
    public KrpcMethod Method { get; }

    public DateTimeOffset Deadline { get; }

    public DhtAnnounce? Announce { get; init; }

    /// <summary>BEP 44: the item a get looks for (replies are verified against it), or null.</summary>
    public DhtItemSearch? Search { get; init; }

    /// <summary>BEP 44: the item to put to the closest nodes once the get ends, or null.</summary>
    public DhtItemToPut? Put { get; init; }

    /// <summary>The first BEP 44 error a put was refused with.</summary>
    public DhtItemError StoreError { get; private set; }

    /// <summary>True when the search ends with a store (announce_peer or put).</summary>
    public bool Stores => Announce is not null || Put is not null;

    /// <summary>Peers as they arrive (called after the engine's lock is released).</summary>
    public Action<IReadOnlyList<IPEndPoint>>? OnPeers { get; init; }

    /// <summary>Called once, under the engine's lock, when the lookup (and its announce) ends.</summary>
    public Action<DhtLookup>? OnDone { get; init; }

    public bool IsBootstrap { get; init; }

    public int InFlight { get; private set; }

    public int Queried { get; private set; }

    public int Replied { get; private set; }

    public int PeersFound => _peers.Count;

    public int AnnouncedTo { get; private set; }

    public int AnnouncesPending { get; set; }

    /// <summary>Finished searching (the announce may still be under way).</summary>
    public bool Converged { get; private set; }

    public bool Finished { get; private set; }

    public bool Cancelled { get; private set; }

    public IReadOnlyList<LookupCandidate> Candidates => _candidates;

    /// <summary>Adds a node to ask; false when known, ours, or farther than everything kept.</summary>
    public bool Add(DhtContact contact, bool isRouter = false)
    {
        if (_endPoints.Contains(contact.EndPoint) || (!isRouter && _ids.Contains(contact.Id)))
        {
            return false;
        }

        var distance = isRouter ? NodeDistance.Max : NodeDistance.Between(Target, contact.Id);
        if (_candidates.Count >= MaxCandidates)
        {
            int drop = _candidates.FindLastIndex(c => c.State == CandidateState.Fresh);
            if (drop < 0 || _candidates[drop].Distance <= distance)
            {
                return false;
            }

            Forget(_candidates[drop]);
            _candidates.RemoveAt(drop);
        }

        var candidate = new LookupCandidate(contact, distance, isRouter);
        int at = _candidates.FindIndex(c => c.Distance > distance);
        _candidates.Insert(at < 0 ? _candidates.Count : at, candidate);
        _endPoints.Add(contact.EndPoint);
        if (!isRouter)
        {
            _ids.Add(contact.Id);
        }

        return true;
    }

    /// <summary>
    /// Picks the next candidates to ask (up to <paramref name="alpha"/> in flight), marking them
    /// pending; sets <see cref="Converged"/> when there is nothing left worth asking.
    /// </summary>
    public void Next(int alpha, DateTimeOffset now, List<LookupCandidate> toAsk)
    {
        if (Converged)
        {
            return;
        }

        if (now >= Deadline || Search is { Done: true })
        {
            Converged = true;
            return;
        }

        int answered = 0;
        bool outstanding = false;
        foreach (var candidate in _candidates)
        {
            switch (candidate.State)
            {
                case CandidateState.Failed:
                    continue;
                case CandidateState.Replied:
                    if (!candidate.IsRouter && ++answered == ConvergeSet)
                    {
                        break;
                    }

                    continue;
                case CandidateState.Pending:
                    outstanding = true;
                    continue;
                default:
                    outstanding = true;
                    if (InFlight < alpha)
                    {
                        candidate.State = CandidateState.Pending;
                        InFlight++;
                        Queried++;
                        toAsk.Add(candidate);
                    }

                    continue;
            }

            break;
        }

        Converged = !outstanding && InFlight == 0;
    }

    /// <summary>A candidate answered: its nodes join the candidates, its new peers are returned.</summary>
    public List<IPEndPoint> Answered(LookupCandidate candidate, KrpcMessage reply, List<DhtContact> nodes)
    {
        EndQuery(candidate);
        if (!candidate.IsRouter && reply.Id != candidate.Contact.Id)
        {
            // It answered under another id than the one it was introduced with: not the node we meant.
            candidate.State = CandidateState.Failed;
            return [];
        }

        if (Search is { } search && !search.Offer(reply))
        {
            // A lying node (wrong value, bad signature, someone else's key) is a failed reply.
            candidate.State = CandidateState.Failed;
            return [];
        }

        candidate.State = CandidateState.Replied;
        candidate.Token = reply.Token;
        Replied++;
        nodes.Sort((a, b) => NodeDistance.Between(Target, a.Id).CompareTo(NodeDistance.Between(Target, b.Id)));
        for (int i = 0; i < nodes.Count && i < MaxNodesPerReply; i++)
        {
            Add(nodes[i]);
        }

        var fresh = new List<IPEndPoint>();
        if (reply.Values is { } values)
        {
            foreach (var peer in values)
            {
                if (_peers.Count < MaxPeers && _peers.Add(peer))
                {
                    fresh.Add(peer);
                }
            }
        }

        return fresh;
    }

    public void Failed(LookupCandidate candidate)
    {
        EndQuery(candidate);
        candidate.State = CandidateState.Failed;
    }

    /// <summary>The closest candidates that answered with a token, for announce_peer.</summary>
    public List<LookupCandidate> AnnounceTargets()
    {
        var targets = new List<LookupCandidate>(K);
        foreach (var candidate in _candidates)
        {
            if (candidate.State == CandidateState.Replied && !candidate.IsRouter && candidate.Token is not null && targets.Count < K)
            {
                targets.Add(candidate);
            }
        }

        return targets;
    }

    public void AnnounceAcknowledged() => AnnouncedTo++;

    /// <summary>A put was answered with an error: the first BEP 44 code is kept for the result.</summary>
    public void StoreRefused(int code)
    {
        if (StoreError == DhtItemError.None && code > 0)
        {
            StoreError = (DhtItemError)code;
        }
    }

    /// <summary>Marks the end; true the first time only.</summary>
    public bool Finish(bool cancelled)
    {
        if (Finished)
        {
            return false;
        }

        Finished = true;
        Converged = true;
        Cancelled = cancelled;
        return true;
    }

    private void EndQuery(LookupCandidate candidate)
    {
        if (candidate.State == CandidateState.Pending)
        {
            InFlight--;
        }
    }

    private void Forget(LookupCandidate candidate)
    {
        _endPoints.Remove(candidate.Contact.EndPoint);
        _ids.Remove(candidate.Contact.Id);
    }
}
