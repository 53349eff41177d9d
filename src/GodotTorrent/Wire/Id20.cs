using System.Buffers.Binary;

namespace GodotTorrent.Wire;

/// <summary>
/// Twenty bytes held by value (an info-hash as sent on the wire, or the bytes of a peer id):
/// no array, so it can be parsed, compared and used as a dictionary key without allocating.
/// </summary>
internal readonly struct Id20 : IEquatable<Id20>
{
    /// <summary>Number of bytes.</summary>
    public const int Length = 20;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    /// <summary>Copies exactly 20 bytes.</summary>
    /// <exception cref="ArgumentException">The span is not 20 bytes long.</exception>
    public Id20(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException("An id has 20 bytes.", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]);
    }

    /// <summary>Writes the 20 bytes to the start of <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _a);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..Length], _c);
    }

    /// <summary>The bytes as a new array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>True when <paramref name="bytes"/> holds exactly these 20 bytes.</summary>
    public bool Equals(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Length
        && BinaryPrimitives.ReadUInt64LittleEndian(bytes) == _a
        && BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]) == _b
        && BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]) == _c;

    public bool Equals(Id20 other) => _a == other._a && _b == other._b && _c == other._c;

    public override bool Equals(object? obj) => obj is Id20 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    /// <summary>Lower-case hex.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        return Convert.ToHexString(bytes).ToLowerInvariant();
    }

    public static bool operator ==(Id20 left, Id20 right) => left.Equals(right);

    public static bool operator !=(Id20 left, Id20 right) => !left.Equals(right);
}
