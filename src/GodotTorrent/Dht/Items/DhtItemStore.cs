using GodotTorrent.Wire;

namespace GodotTorrent.Dht.Items;

/// <summary>
/// The items a node stores for others (BEP 44's serving side): bounded in count, each kept for
/// <see cref="Lifetime"/> after its last put, mutable puts checked (size, signature, CAS,
/// sequence number) before they replace anything. Pure logic on the caller's clock; not
/// thread-safe (the node calls it from its one context).
/// </summary>
internal sealed class DhtItemStore
{
    /// <summary>Items kept at most by default (libtorrent keeps 700).</summary>
    public const int DefaultCapacity = 700;

    private readonly TimeProvider _time;
    private readonly Dictionary<Id20, Entry> _items = [];

    // Oldest put first: the one to evict when full.
    private readonly LinkedList<Entry> _byLastPut = new();

    /// <summary>A store of at most <paramref name="capacity"/> items.</summary>
    public DhtItemStore(TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        Capacity = capacity;
    }

    /// <summary>BEP 44: items not put again within two hours MAY expire; publishers re-put hourly.</summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromHours(2);

    /// <summary>The most items kept.</summary>
    public int Capacity { get; }

    /// <summary>Items held now (expired ones go on the next call that meets them, or <see cref="RemoveExpired"/>).</summary>
    public int Count => _items.Count;

    /// <summary>Items dropped to make room for newer ones since the store was made.</summary>
    public long Evicted { get; private set; }

    /// <summary>Stores or refreshes what a parsed <c>put</c> carries (the node has checked its token).</summary>
    public DhtPutOutcome Put(DhtPutArguments put)
    {
        ArgumentNullException.ThrowIfNull(put);
        return put.Mutable is { } item ? PutMutable(item, put.Cas) : PutImmutable(put.Value);
    }

    /// <summary>Stores an immutable item under the SHA-1 of <paramref name="encodedValue"/>.</summary>
    public DhtPutOutcome PutImmutable(ReadOnlySpan<byte> encodedValue)
    {
        if (encodedValue.Length > DhtItemFormat.MaxValueLength)
        {
            return DhtPutOutcome.Refused(DhtItemError.MessageTooBig, "message (v field) too big");
        }

        Id20 target = DhtItemFormat.ImmutableTarget(encodedValue);
        if (Find(target) is { } existing)
        {
            Touch(existing);
        }
        else
        {
            Add(new Entry(target, encodedValue.ToArray(), null));
        }

        return DhtPutOutcome.Ok(target);
    }

    /// <summary>Stores a mutable item when it verifies and is newer than the one held (BEP 44's put rules).</summary>
    public DhtPutOutcome PutMutable(DhtMutableItem item, long? cas = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Value.Length > DhtItemFormat.MaxValueLength)
        {
            return DhtPutOutcome.Refused(DhtItemError.MessageTooBig, "message (v field) too big");
        }

        if (item.Salt.Length > DhtItemFormat.MaxSaltLength)
        {
            return DhtPutOutcome.Refused(DhtItemError.SaltTooBig, "salt (salt field) too big");
        }

        Id20 target = item.Target;
        if (!item.Verify())
        {
            return DhtPutOutcome.Refused(DhtItemError.InvalidSignature, "invalid signature", target);
        }

        Entry? existing = Find(target);
        if (existing?.Mutable is { } current)
        {
            // BEP 44: the cas is ignored when nothing is stored yet.
            if (cas is { } expected && expected != current.Sequence)
            {
                return DhtPutOutcome.Refused(DhtItemError.CasMismatch, "the CAS hash mismatched, re-read value and try again", target);
            }

            if (item.Sequence < current.Sequence)
            {
                return DhtPutOutcome.Refused(DhtItemError.SequenceLessThanCurrent, "sequence number less than current", target);
            }

            // Two values under one sequence number would let a replayed put undo an update.
            if (item.Sequence == current.Sequence && !item.HasSameValue(current))
            {
                return DhtPutOutcome.Refused(DhtItemError.SequenceLessThanCurrent, "sequence number not greater than current for a different value", target);
            }

            existing.Mutable = item;
            existing.Value = item.Value.ToArray();
            Touch(existing);
            return DhtPutOutcome.Ok(target);
        }

        if (existing is not null)
        {
            // An immutable item under a mutable target would need a SHA-1 collision; keep what verifies.
            Remove(existing);
        }

        Add(new Entry(target, item.Value.ToArray(), item));
        return DhtPutOutcome.Ok(target);
    }

    /// <summary>
    /// What to answer a <c>get</c> for <paramref name="target"/> with, or null when nothing (live)
    /// is stored. With <paramref name="sequence"/> given and the stored mutable item not newer, the
    /// answer carries only its sequence number (BEP 44: k, v and sig omitted).
    /// </summary>
    public DhtGetReply? Get(Id20 target, long? sequence = null)
    {
        if (Find(target) is not { } entry)
        {
            return null;
        }

        if (entry.Mutable is not { } item)
        {
            return new DhtGetReply(entry.Value, null, null, null);
        }

        return sequence is { } known && item.Sequence <= known
            ? new DhtGetReply(null, null, item.Sequence, null)
            : DhtGetReply.ForMutable(item);
    }

    /// <summary>Drops every item past its lifetime; returns how many.</summary>
    public int RemoveExpired()
    {
        int removed = 0;
        while (_byLastPut.First is { } oldest && IsExpired(oldest.Value))
        {
            Remove(oldest.Value);
            removed++;
        }

        return removed;
    }

    private Entry? Find(Id20 target)
    {
        if (!_items.TryGetValue(target, out Entry? entry))
        {
            return null;
        }

        if (IsExpired(entry))
        {
            Remove(entry);
            return null;
        }

        return entry;
    }

    private bool IsExpired(Entry entry) => _time.GetUtcNow() - entry.LastPut >= Lifetime;

    private void Add(Entry entry)
    {
        if (_items.Count >= Capacity && RemoveExpired() == 0)
        {
            Remove(_byLastPut.First!.Value);
            Evicted++;
        }

        entry.LastPut = _time.GetUtcNow();
        entry.Node = _byLastPut.AddLast(entry);
        _items.Add(entry.Target, entry);
    }

    private void Touch(Entry entry)
    {
        entry.LastPut = _time.GetUtcNow();
        _byLastPut.Remove(entry.Node!);
        _byLastPut.AddLast(entry.Node!);
    }

    private void Remove(Entry entry)
    {
        _items.Remove(entry.Target);
        _byLastPut.Remove(entry.Node!);
    }

    /// <summary>One stored item: its bencoded value, the signed item when mutable, and when it was last put.</summary>
    private sealed class Entry(Id20 target, byte[] value, DhtMutableItem? mutable)
    {
        public Id20 Target { get; } = target;

        public byte[] Value { get; set; } = value;

        public DhtMutableItem? Mutable { get; set; } = mutable;

        public DateTimeOffset LastPut { get; set; }

        public LinkedListNode<Entry>? Node { get; set; }
    }
}
