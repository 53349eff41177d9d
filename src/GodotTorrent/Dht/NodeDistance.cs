using System.Buffers.Binary;
using System.Numerics;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// The XOR distance between two 160-bit ids (BEP 5), held big-endian so that comparing two
/// distances is comparing two numbers.
/// </summary>
internal readonly struct NodeDistance : IComparable<NodeDistance>, IEquatable<NodeDistance>
{
    private readonly UInt128 _high;
    private readonly uint _low;

    private NodeDistance(UInt128 high, uint low)
    {
        _high = high;
        _low = low;
    }

    /// <summary>The largest distance, for contacts whose id we do not know (routers).</summary>
    public static NodeDistance Max { get; } = new(UInt128.MaxValue, uint.MaxValue);

    /// <summary>Leading zero bits: the length of the prefix both ids share (160 when equal).</summary>
    public int LeadingZeros => _high != 0 ? (int)UInt128.LeadingZeroCount(_high) : 128 + BitOperations.LeadingZeroCount(_low);

    public static NodeDistance Between(Id20 a, Id20 b)
    {
        Span<byte> x = stackalloc byte[Id20.Length];
        Span<byte> y = stackalloc byte[Id20.Length];
        a.CopyTo(x);
        b.CopyTo(y);
        var high = BinaryPrimitives.ReadUInt128BigEndian(x) ^ BinaryPrimitives.ReadUInt128BigEndian(y);
        uint low = BinaryPrimitives.ReadUInt32BigEndian(x[16..]) ^ BinaryPrimitives.ReadUInt32BigEndian(y[16..]);
        return new NodeDistance(high, low);
    }

    public int CompareTo(NodeDistance other)
    {
        int high = _high.CompareTo(other._high);
        return high != 0 ? high : _low.CompareTo(other._low);
    }

    public bool Equals(NodeDistance other) => _high == other._high && _low == other._low;

    public override bool Equals(object? obj) => obj is NodeDistance other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_high, _low);

    public static bool operator ==(NodeDistance left, NodeDistance right) => left.Equals(right);

    public static bool operator !=(NodeDistance left, NodeDistance right) => !left.Equals(right);

    public static bool operator <(NodeDistance left, NodeDistance right) => left.CompareTo(right) < 0;

    public static bool operator >(NodeDistance left, NodeDistance right) => left.CompareTo(right) > 0;

    public static bool operator <=(NodeDistance left, NodeDistance right) => left.CompareTo(right) <= 0;

    public static bool operator >=(NodeDistance left, NodeDistance right) => left.CompareTo(right) >= 0;
}
