using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>Helpers over 160-bit node ids (<see cref="Id20"/>): distance, shared prefix, random ids.</summary>
internal static class NodeIds
{
    /// <summary>Bits in an id.</summary>
    public const int Bits = 160;

    /// <summary>How many leading bits <paramref name="a"/> and <paramref name="b"/> share (160 when equal).</summary>
    public static int CommonPrefix(Id20 a, Id20 b) => NodeDistance.Between(a, b).LeadingZeros;

    /// <summary>Negative when <paramref name="a"/> is closer to <paramref name="target"/> than <paramref name="b"/>.</summary>
    public static int CompareDistance(Id20 target, Id20 a, Id20 b) =>
        NodeDistance.Between(target, a).CompareTo(NodeDistance.Between(target, b));

    public static Id20 Random(Random random)
    {
        Span<byte> bytes = stackalloc byte[Id20.Length];
        random.NextBytes(bytes);
        return new Id20(bytes);
    }

    /// <summary>
    /// A random id sharing exactly <paramref name="prefix"/> leading bits with <paramref name="own"/>
    /// (the next bit differs): an id that falls in bucket <paramref name="prefix"/>, for its refresh.
    /// </summary>
    public static Id20 RandomWithPrefix(Id20 own, int prefix, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefix);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefix, Bits - 1);
        Span<byte> bytes = stackalloc byte[Id20.Length];
        Span<byte> ours = stackalloc byte[Id20.Length];
        random.NextBytes(bytes);
        own.CopyTo(ours);
        int whole = prefix / 8;
        ours[..whole].CopyTo(bytes);
        int bit = prefix % 8;

        // Keep our first `bit` bits of this byte, flip the next one, keep the random rest.
        int keep = 0xFF00 >> bit & 0xFF;
        int flip = 0x80 >> bit;
        bytes[whole] = (byte)((ours[whole] & keep) | (~ours[whole] & flip) | (bytes[whole] & ~(keep | flip) & 0xFF));
        return new Id20(bytes);
    }
}
