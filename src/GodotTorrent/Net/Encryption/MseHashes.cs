using System.Security.Cryptography;
using GodotTorrent.Wire;

namespace GodotTorrent.Net.Encryption;

/// <summary>The SHA-1 derivations of the MSE spec: HASH('req1', S) and friends, and the two RC4 keys.</summary>
internal static class MseHashes
{
    public const int Length = 20;

    /// <summary>HASH('req1', S): the responder synchronises on it.</summary>
    public static byte[] Req1(ReadOnlySpan<byte> secret) => Hash("req1"u8, secret, default);

    /// <summary>HASH('req2', SKEY): names the torrent without revealing it.</summary>
    public static Id20 Req2(Id20 skey)
    {
        Span<byte> key = stackalloc byte[Id20.Length];
        skey.CopyTo(key);
        return new(Hash("req2"u8, key, default));
    }

    /// <summary>HASH('req3', S): xored onto req2 so the torrent's name differs per connection.</summary>
    public static byte[] Req3(ReadOnlySpan<byte> secret) => Hash("req3"u8, secret, default);

    /// <summary>HASH('keyA', S, SKEY): the initiator's sending key.</summary>
    public static byte[] KeyA(ReadOnlySpan<byte> secret, Id20 skey) => Key("keyA"u8, secret, skey);

    /// <summary>HASH('keyB', S, SKEY): the responder's sending key.</summary>
    public static byte[] KeyB(ReadOnlySpan<byte> secret, Id20 skey) => Key("keyB"u8, secret, skey);

    private static byte[] Key(ReadOnlySpan<byte> label, ReadOnlySpan<byte> secret, Id20 skey)
    {
        Span<byte> key = stackalloc byte[Id20.Length];
        skey.CopyTo(key);
        return Hash(label, secret, key);
    }

    private static byte[] Hash(ReadOnlySpan<byte> label, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        Span<byte> input = stackalloc byte[label.Length + first.Length + second.Length];
        label.CopyTo(input);
        first.CopyTo(input[label.Length..]);
        second.CopyTo(input[(label.Length + first.Length)..]);
        return SHA1.HashData(input);
    }
}
