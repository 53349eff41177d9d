using System.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// A BEP 5 routing table of one address family: buckets of 8 by the length of the prefix a node
/// shares with our id; only the deepest bucket (the one our id falls in) splits, so the table
/// knows many nodes near us and a few far away, at most 160 x 16 in all. One node per endpoint;
/// our own id and impossible addresses are refused. Not thread-safe: the engine's lock guards it.
/// </summary>
internal sealed class RoutingTable
{
    public const int MaxBuckets = NodeIds.Bits;

    private static readonly TimeSpan PingSpacing = TimeSpan.FromMinutes(1);

    private readonly List<RoutingBucket> _buckets;
    private readonly Dictionary<IPEndPoint, (RoutingNode Node, RoutingBucket Bucket)> _byEndPoint = [];

    public RoutingTable(Id20 own, DateTimeOffset now)
    {
        Own = own;
        _buckets = [new RoutingBucket(now)];
    }

    public Id20 Own { get; }

    /// <summary>BEP 42: keep only nodes whose id matches their address.</summary>
    public bool EnforceNodeId { get; set; }

    /// <summary>Nodes in the buckets (replacements not counted).</summary>
    public int Count { get; private set; }

    /// <summary>Every node the table holds, replacements included.</summary>
    public int Known => _byEndPoint.Count;

    public IReadOnlyList<RoutingBucket> Buckets => _buckets;

    public bool Contains(IPEndPoint endPoint) => _byEndPoint.ContainsKey(endPoint);

    public RoutingNode? Find(IPEndPoint endPoint) => _byEndPoint.TryGetValue(endPoint, out var entry) ? entry.Node : null;

    /// <summary>
    /// A node answered us (<paramref name="replied"/>) or queried us. Returns a questionable node of
    /// a full bucket that the caller should ping, so a dead one makes room; null otherwise.
    /// </summary>
    public RoutingNode? Heard(Id20 id, IPEndPoint endPoint, bool replied, DateTimeOffset now)
    {
        if (id == Own || CompactEndPoints.IsBogus(endPoint) || (EnforceNodeId && !NodeIdSecurity.IsValid(id, endPoint.Address)))
        {
            return null;
        }

        if (_byEndPoint.TryGetValue(endPoint, out var known))
        {
            if (known.Node.Id == id)
            {
                known.Node.LastSeen = now;
                if (replied)
                {
                    known.Node.LastReply = now;
                    known.Node.Failures = 0;
                    known.Bucket.LastChanged = now;
                }

                return null;
            }

            // A good node keeps its id; one that moved on gives its endpoint to the newcomer.
            if (known.Node.IsGood(now))
            {
                return null;
            }

            Remove(known.Node, known.Bucket);
        }

        var node = new RoutingNode(id, endPoint, now) { LastReply = replied ? now : null };
        while (true)
        {
            int index = IndexOf(id);
            var bucket = _buckets[index];
            if (bucket.Nodes.Exists(n => n.Id == id))
            {
                return null;
            }

            if (bucket.Nodes.Count < RoutingBucket.Size)
            {
                Place(node, bucket, bucket.Nodes, now, replied);
                return null;
            }

            if (index == _buckets.Count - 1 && _buckets.Count < MaxBuckets)
            {
                Split(now);
                continue;
            }

            int bad = bucket.Nodes.FindIndex(n => n.IsBad);
            if (bad >= 0)
            {
                Remove(bucket.Nodes[bad], bucket);
                Place(node, bucket, bucket.Nodes, now, replied);
                return null;
            }

            if (bucket.Replacements.Exists(n => n.Id == id))
            {
                return null;
            }

            if (bucket.Replacements.Count >= RoutingBucket.Size)
            {
                Remove(bucket.Replacements[0], bucket);
            }

            Place(node, bucket, bucket.Replacements, now, changed: false);
            RoutingNode? stale = null;
            foreach (var candidate in bucket.Nodes)
            {
                if (!candidate.IsGood(now) && (candidate.PingedAt is null || now - candidate.PingedAt >= PingSpacing) && (stale is null || candidate.LastSeen < stale.LastSeen))
                {
                    stale = candidate;
                }
            }

            if (stale is not null)
            {
                stale.PingedAt = now;
            }

            return stale;
        }
    }

    /// <summary>A query to the node timed out: a bad node gives its slot to the best replacement.</summary>
    public void Failed(IPEndPoint endPoint)
    {
        if (!_byEndPoint.TryGetValue(endPoint, out var entry))
        {
            return;
        }

        var (node, bucket) = entry;
        node.Failures++;
        if (!node.IsBad)
        {
            return;
        }

        if (bucket.Replacements.Remove(node))
        {
            _byEndPoint.Remove(endPoint);
            return;
        }

        if (bucket.Replacements.Count > 0)
        {
            Remove(node, bucket);
            int best = bucket.Replacements.Count - 1;
            for (int i = 0; i < bucket.Replacements.Count; i++)
            {
                if (bucket.Replacements[i].LastReply is not null)
                {
                    best = i;
                }
            }

            var promoted = bucket.Replacements[best];
            bucket.Replacements.RemoveAt(best);
            bucket.Nodes.Add(promoted);
            Count++;
        }
    }

    /// <summary>
    /// The <paramref name="count"/> nodes closest to <paramref name="target"/>, not bad; with
    /// <paramref name="confirmedOnly"/> only nodes that have answered us (what we tell others).
    /// </summary>
    public List<DhtContact> Closest(Id20 target, int count, bool confirmedOnly)
    {
        var found = new List<(NodeDistance Distance, RoutingNode Node)>(Count);
        foreach (var bucket in _buckets)
        {
            foreach (var node in bucket.Nodes)
            {
                if (!node.IsBad && (!confirmedOnly || node.LastReply is not null))
                {
                    found.Add((NodeDistance.Between(target, node.Id), node));
                }
            }
        }

        found.Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
        var result = new List<DhtContact>(Math.Min(count, found.Count));
        for (int i = 0; i < found.Count && i < count; i++)
        {
            result.Add(found[i].Node.Contact);
        }

        return result;
    }

    /// <summary>The nodes that answered within 15 minutes, for saved state.</summary>
    public List<DhtContact> GoodNodes(DateTimeOffset now, int max)
    {
        var good = new List<DhtContact>();
        foreach (var bucket in _buckets)
        {
            foreach (var node in bucket.Nodes)
            {
                if (good.Count < max && node.IsGood(now))
                {
                    good.Add(node.Contact);
                }
            }
        }

        return good;
    }

    private int IndexOf(Id20 id) => Math.Min(NodeIds.CommonPrefix(Own, id), _buckets.Count - 1);

    private void Place(RoutingNode node, RoutingBucket bucket, List<RoutingNode> list, DateTimeOffset now, bool changed)
    {
        list.Add(node);
        _byEndPoint[node.EndPoint] = (node, bucket);
        if (ReferenceEquals(list, bucket.Nodes))
        {
            Count++;
        }

        if (changed)
        {
            bucket.LastChanged = now;
        }
    }

    private void Remove(RoutingNode node, RoutingBucket bucket)
    {
        _byEndPoint.Remove(node.EndPoint);
        if (bucket.Nodes.Remove(node))
        {
            Count--;
        }
        else
        {
            bucket.Replacements.Remove(node);
        }
    }

    // The deepest bucket holds every node sharing at least its index bits with us; those sharing
    // more move to a new deeper bucket.
    private void Split(DateTimeOffset now)
    {
        int depth = _buckets.Count - 1;
        var old = _buckets[depth];
        var deeper = new RoutingBucket(now);
        _buckets.Add(deeper);
        Move(old.Nodes, deeper.Nodes, depth, deeper);
        Move(old.Replacements, deeper.Replacements, depth, deeper);

        // Replacements fill the slots the move freed.
        foreach (var bucket in (ReadOnlySpan<RoutingBucket>)[old, deeper])
        {
            while (bucket.Nodes.Count < RoutingBucket.Size && bucket.Replacements.Count > 0)
            {
                var promoted = bucket.Replacements[^1];
                bucket.Replacements.RemoveAt(bucket.Replacements.Count - 1);
                bucket.Nodes.Add(promoted);
                Count++;
            }
        }
    }

    private void Move(List<RoutingNode> from, List<RoutingNode> to, int depth, RoutingBucket deeper)
    {
        for (int i = from.Count - 1; i >= 0; i--)
        {
            var node = from[i];
            if (NodeIds.CommonPrefix(Own, node.Id) > depth)
            {
                from.RemoveAt(i);
                to.Insert(0, node);
                _byEndPoint[node.EndPoint] = (node, deeper);
            }
        }
    }
}
