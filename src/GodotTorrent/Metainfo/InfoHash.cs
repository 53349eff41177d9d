using System.Security.Cryptography;

namespace GodotTorrent.Metainfo;

/// <summary>
/// One info-hash: the SHA-1 of a v1 info dictionary (20 bytes) or the SHA-256 of a v2 one
/// (32 bytes, BEP 52). Immutable; compares by value.
/// </summary>
public sealed class InfoHash : IEquatable<InfoHash>
{
    /// <summary>Length in bytes of a v1 (SHA-1) info-hash.</summary>
    public const int V1Length = 20;

    /// <summary>Length in bytes of a v2 (SHA-256) info-hash.</summary>
    public const int V2Length = 32;

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private readonly byte[] _bytes;

    /// <summary>Wraps a copy of 20 (v1) or 32 (v2) hash bytes.</summary>
    /// <exception cref="ArgumentException">The length is neither 20 nor 32.</exception>
    public InfoHash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is not (V1Length or V2Length))
        {
            throw new ArgumentException("An info-hash has 20 (SHA-1) or 32 (SHA-256) bytes.", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    /// <summary>1 for a SHA-1 hash, 2 for a SHA-256 hash.</summary>
    public int Version => _bytes.Length == V1Length ? 1 : 2;

    /// <summary>The raw hash bytes.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>
    /// The 20 bytes used where the wire protocol, trackers and the DHT take a fixed-size hash:
    /// the whole SHA-1, or the SHA-256 truncated (BEP 52).
    /// </summary>
    public ReadOnlySpan<byte> Truncated => _bytes.AsSpan(0, V1Length);

    /// <summary>SHA-1 of <paramref name="data"/> as a v1 info-hash.</summary>
    public static InfoHash ComputeV1(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[V1Length];
        SHA1.HashData(data, hash);
        return new InfoHash(hash);
    }

    /// <summary>SHA-256 of <paramref name="data"/> as a v2 info-hash.</summary>
    public static InfoHash ComputeV2(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[V2Length];
        SHA256.HashData(data, hash);
        return new InfoHash(hash);
    }

    /// <summary>Parses 40 or 64 hex digits (either case).</summary>
    /// <exception cref="FormatException">Not 40 or 64 hex digits.</exception>
    public static InfoHash FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length is not (V1Length * 2 or V2Length * 2))
        {
            throw new FormatException("An info-hash in hex has 40 or 64 digits.");
        }

        return new InfoHash(Convert.FromHexString(hex));
    }

    /// <summary>Parses the 32-character base32 form of a v1 hash (RFC 4648 alphabet, either case).</summary>
    /// <exception cref="FormatException">Not 32 base32 characters.</exception>
    public static InfoHash FromBase32(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length != 32)
        {
            throw new FormatException("A base32 info-hash has 32 characters.");
        }

        Span<byte> bytes = stackalloc byte[V1Length];
        int buffer = 0, bits = 0, index = 0;
        foreach (char c in text)
        {
            int value = Base32Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"'{c}' is not a base32 digit.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[index++] = (byte)(buffer >> bits);
            }
        }

        return new InfoHash(bytes);
    }

    /// <summary>Lower-case hex, as trackers, magnets and most tools show hashes.</summary>
    public string ToHex() => Convert.ToHexString(_bytes).ToLowerInvariant();

    /// <summary>The 32-character base32 form (v1 hashes only, as older magnets use).</summary>
    public string ToBase32()
    {
        if (Version != 1)
        {
            throw new InvalidOperationException("Only v1 info-hashes have a base32 form.");
        }

        var chars = new char[32];
        int buffer = 0, bits = 0, index = 0;
        foreach (byte b in _bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                chars[index++] = Base32Alphabet[(buffer >> bits) & 31];
            }
        }

        return new string(chars);
    }

    /// <summary>A copy of the hash bytes.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <inheritdoc/>
    public bool Equals(InfoHash? other) => other is not null && other._bytes.AsSpan().SequenceEqual(_bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as InfoHash);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    /// <summary>The hex form.</summary>
    public override string ToString() => ToHex();

    /// <summary>Value equality.</summary>
    public static bool operator ==(InfoHash? left, InfoHash? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(InfoHash? left, InfoHash? right) => !(left == right);
}
