using GodotTorrent.Dht.Items;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>What <see cref="IDht.PutItem"/> stores: an immutable value, or a signed mutable item (with an optional compare-and-swap sequence number).</summary>
internal sealed record DhtItemToPut
{
    private DhtItemToPut(byte[]? immutableValue, DhtMutableItem? mutable, long? cas)
    {
        ImmutableValue = immutableValue;
        Mutable = mutable;
        Cas = cas;
    }

    /// <summary>The bencoded value of an immutable item, or null for a mutable one.</summary>
    public byte[]? ImmutableValue { get; }

    /// <summary>The signed mutable item, or null for an immutable one.</summary>
    public DhtMutableItem? Mutable { get; }

    /// <summary>BEP 44 <c>cas</c>: store only if the node's current sequence number is this one.</summary>
    public long? Cas { get; }

    /// <summary>The item's target.</summary>
    public Id20 Target => Mutable?.Target ?? DhtItemFormat.ImmutableTarget(ImmutableValue);

    public static DhtItemToPut Immutable(byte[] encodedValue) => new(encodedValue, null, null);

    public static DhtItemToPut ForMutable(DhtMutableItem item, long? cas = null) => new(null, item, cas);
}
