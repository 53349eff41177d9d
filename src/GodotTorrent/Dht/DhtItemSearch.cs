using GodotTorrent.Dht.Items;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// What a BEP 44 get lookup looks for, and the best verified item found so far: an immutable value
/// whose SHA-1 is the target, or the mutable item (key and salt hashing to the target, signature
/// good) with the highest sequence number. Shared by a request's lookups; runs under the engine's lock.
/// </summary>
internal sealed class DhtItemSearch(Id20 target, ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> salt)
{
    public Id20 Target { get; } = target;

    public bool IsMutable { get; } = !publicKey.IsEmpty;

    /// <summary>The verified immutable value, or the best mutable item's value.</summary>
    public byte[]? Value { get; private set; }

    public DhtMutableItem? Mutable { get; private set; }

    /// <summary>An immutable item cannot change: the first verified value ends the lookup.</summary>
    public bool Done => !IsMutable && Value is not null;

    /// <summary>
    /// Checks a reply's item; false when it is a lie (a value that does not hash to the target, a bad
    /// signature, another key or salt), which counts as a failed reply of that node.
    /// </summary>
    public bool Offer(KrpcMessage reply)
    {
        if (reply.BadItem)
        {
            return false;
        }

        return reply.Item is not { } item || Offer(item);
    }

    /// <summary>Checks an item (a reply's, or one this node stores); false when it is not the one searched for.</summary>
    public bool Offer(DhtGetReply item)
    {
        if (!IsMutable)
        {
            if (!item.HasValue)
            {
                return true;
            }

            if (!item.TryGetImmutable(Target, out var value))
            {
                return false;
            }

            Value ??= value;
            return true;
        }

        // A bare seq answers a get that carried one (BEP 44): nothing to check.
        if (!item.HasValue)
        {
            return item.PublicKey.IsEmpty && item.Signature.IsEmpty;
        }

        if (!item.PublicKey.SequenceEqual(publicKey.Span) || !item.TryGetMutable(Target, salt.Span, out var mutable))
        {
            return false;
        }

        if (Mutable is null || mutable.Sequence > Mutable.Sequence)
        {
            Mutable = mutable;
            Value = mutable.Value.ToArray();
        }

        return true;
    }
}
