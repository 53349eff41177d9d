using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht.Items;

/// <summary>BEP 44's limits, targets and the buffer a mutable item's signature covers.</summary>
internal static class DhtItemFormat
{
    /// <summary>The most bytes a bencoded value may take.</summary>
    public const int MaxValueLength = 1000;

    /// <summary>The most bytes a salt may take.</summary>
    public const int MaxSaltLength = 64;

    /// <summary>An immutable item's target: SHA-1 of its bencoded value.</summary>
    public static Id20 ImmutableTarget(ReadOnlySpan<byte> encodedValue)
    {
        Span<byte> hash = stackalloc byte[Id20.Length];
        SHA1.HashData(encodedValue, hash);
        return new Id20(hash);
    }

    /// <summary>A mutable item's target: SHA-1 of the public key followed by the salt (none when empty).</summary>
    public static Id20 MutableTarget(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> salt)
    {
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(publicKey);
        sha1.AppendData(salt);
        Span<byte> hash = stackalloc byte[Id20.Length];
        sha1.GetHashAndReset(hash);
        return new Id20(hash);
    }

    /// <summary>
    /// The bytes a mutable item's signature covers: <c>4:salt&lt;n&gt;:&lt;salt&gt;</c> (only for a
    /// non-empty salt), then <c>3:seqi&lt;seq&gt;e1:v</c> and the bencoded value as sent. Built by
    /// hand, not by a bencoder, as BEP 44 asks, so no parser quirk can shift a length into the seq.
    /// </summary>
    public static byte[] SignedBuffer(ReadOnlySpan<byte> salt, long sequence, ReadOnlySpan<byte> encodedValue)
    {
        string saltPrefix = salt.Length > 0 ? string.Create(CultureInfo.InvariantCulture, $"4:salt{salt.Length}:") : string.Empty;
        string seqPart = string.Create(CultureInfo.InvariantCulture, $"3:seqi{sequence}e1:v");
        var buffer = new byte[saltPrefix.Length + salt.Length + seqPart.Length + encodedValue.Length];
        int at = Encoding.ASCII.GetBytes(saltPrefix, buffer);
        salt.CopyTo(buffer.AsSpan(at));
        at += salt.Length;
        at += Encoding.ASCII.GetBytes(seqPart, buffer.AsSpan(at));
        encodedValue.CopyTo(buffer.AsSpan(at));
        return buffer;
    }
}
