using System.Security.Cryptography;
using Bc = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace GodotTorrent.Dht.Items;

/// <summary>
/// Ed25519 (RFC 8032) for BEP 44 mutable items, through BouncyCastle's managed code: no native
/// library on any export platform. Keys are the 32-byte seed (RFC 8032's private key) or the
/// 64-byte expanded secret libtorrent and BEP 44's test vectors use (the clamped SHA-512 of the seed).
/// </summary>
internal static class Ed25519
{
    /// <summary>Bytes in a seed (RFC 8032 private key).</summary>
    public const int SeedLength = 32;

    /// <summary>Bytes in an expanded secret (clamped scalar, then the nonce prefix).</summary>
    public const int ExpandedSecretLength = 64;

    /// <summary>Bytes in a public key.</summary>
    public const int PublicKeyLength = 32;

    /// <summary>Bytes in a signature.</summary>
    public const int SignatureLength = 64;

    /// <summary>A new random seed from the operating system's generator.</summary>
    public static byte[] NewSeed() => RandomNumberGenerator.GetBytes(SeedLength);

    /// <summary>The public key of <paramref name="seed"/>.</summary>
    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed)
    {
        RequireLength(seed, SeedLength, nameof(seed));
        var publicKey = new byte[PublicKeyLength];
        Bc.GeneratePublicKey(seed, publicKey);
        return publicKey;
    }

    /// <summary>
    /// The expanded secret of <paramref name="seed"/> as libtorrent's <c>ed25519_create_keypair</c>
    /// gives it: SHA-512 of the seed with the scalar clamped (RFC 8032 5.1.5).
    /// </summary>
    public static byte[] ExpandSecret(ReadOnlySpan<byte> seed)
    {
        RequireLength(seed, SeedLength, nameof(seed));
        byte[] expanded = SHA512.HashData(seed);
        expanded[0] &= 248;
        expanded[31] &= 63;
        expanded[31] |= 64;
        return expanded;
    }

    /// <summary>The public key of an expanded secret.</summary>
    public static byte[] PublicKeyFromExpanded(ReadOnlySpan<byte> expandedSecret)
    {
        RequireLength(expandedSecret, ExpandedSecretLength, nameof(expandedSecret));
        var publicKey = new byte[PublicKeyLength];
        Bc.ExpandedKey.GeneratePublicKey(expandedSecret, publicKey);
        return publicKey;
    }

    /// <summary>Signs <paramref name="message"/> with <paramref name="seed"/>, whose public key is <paramref name="publicKey"/>.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message)
    {
        RequireLength(seed, SeedLength, nameof(seed));
        RequireLength(publicKey, PublicKeyLength, nameof(publicKey));
        var signature = new byte[SignatureLength];
        Bc.Sign(seed, publicKey, message, signature);
        return signature;
    }

    /// <summary>Signs with an expanded secret (BEP 44's test vectors give only that form).</summary>
    public static byte[] SignExpanded(ReadOnlySpan<byte> expandedSecret, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message)
    {
        RequireLength(expandedSecret, ExpandedSecretLength, nameof(expandedSecret));
        RequireLength(publicKey, PublicKeyLength, nameof(publicKey));
        var signature = new byte[SignatureLength];
        Bc.ExpandedKey.Sign(expandedSecret, publicKey, message, signature);
        return signature;
    }

    /// <summary>True when <paramref name="signature"/> is <paramref name="publicKey"/>'s over <paramref name="message"/>; false for any malformed input.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        publicKey.Length == PublicKeyLength
        && signature.Length == SignatureLength
        && Bc.Verify(signature, publicKey, message);

    private static void RequireLength(ReadOnlySpan<byte> bytes, int length, string name)
    {
        if (bytes.Length != length)
        {
            throw new ArgumentException($"Expected {length} bytes, got {bytes.Length}.", name);
        }
    }
}
