using System.Numerics;
using GodotTorrent.Wire;

namespace GodotTorrent.Net.Encryption;

/// <summary>
/// One side's Diffie-Hellman of an MSE handshake: the 768-bit MSE prime, generator 2, a private
/// exponent of 160 random bits (as libtorrent; more costs time and adds nothing against a
/// 768-bit group), keys as exactly 96 big-endian bytes.
/// </summary>
internal sealed class MseKeyExchange
{
    /// <summary>Bytes of a public key and of the shared secret.</summary>
    public const int KeyLength = 96;

    /// <summary>Bytes of the private exponent (160 bits).</summary>
    public const int PrivateKeyLength = 20;

    // The MSE spec's P, as libtorrent, Transmission and aria2 carry it. It shares its first 728
    // bits with the Oakley group 1 prime (RFC 2409) but not its low 40: it is not that prime.
    private static readonly BigInteger Prime = new(Convert.FromHexString(
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563"), isUnsigned: true, isBigEndian: true);

    private static readonly BigInteger Generator = 2;

    private readonly BigInteger _private;

    public MseKeyExchange(RandomBytes random)
        : this(NewPrivateKey(random))
    {
    }

    /// <summary>A fixed private exponent, big-endian (known-answer tests).</summary>
    internal MseKeyExchange(ReadOnlySpan<byte> privateKey)
    {
        _private = new BigInteger(privateKey, isUnsigned: true, isBigEndian: true);
        PublicKey = ToBytes(BigInteger.ModPow(Generator, _private, Prime));
    }

    /// <summary>The prime, big-endian (for tests).</summary>
    public static byte[] PrimeBytes => ToBytes(Prime);

    /// <summary>Y = G^X mod P, 96 bytes big-endian.</summary>
    public byte[] PublicKey { get; }

    /// <summary>S = Y_peer^X mod P, 96 bytes big-endian.</summary>
    /// <exception cref="PeerProtocolException">A degenerate public key (0, 1, P-1 or more), which would fix S.</exception>
    public byte[] SharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        var y = new BigInteger(peerPublicKey, isUnsigned: true, isBigEndian: true);
        if (y <= BigInteger.One || y >= Prime - BigInteger.One)
        {
            throw new PeerProtocolException(ErrorCode.EncryptionHandshakeFailed, "The peer's Diffie-Hellman public key is degenerate (0, 1, or at least P-1).");
        }

        return ToBytes(BigInteger.ModPow(y, _private, Prime));
    }

    private static byte[] NewPrivateKey(RandomBytes random)
    {
        var x = new byte[PrivateKeyLength];
        random.Fill(x);
        // A private key of 0 or 1 would give a public key the peer must reject.
        x[^1] |= 2;
        return x;
    }

    private static byte[] ToBytes(BigInteger value)
    {
        var bytes = new byte[KeyLength];
        int length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(bytes.AsSpan(KeyLength - length), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }
}
