using System.Net;
using System.Security.Cryptography;

namespace GodotTorrent.Dht;

/// <summary>
/// Write tokens for get_peers replies (BEP 5): a hash of the requester's address and a secret
/// that changes every 5 minutes. A token from the current or the previous secret is accepted,
/// so it stays valid 5 to 10 minutes, and only from the address it was given to.
/// </summary>
internal sealed class TokenKeeper
{
    public const int TokenLength = 8;

    public static readonly TimeSpan RotateEvery = TimeSpan.FromMinutes(5);

    private readonly Random _random;
    private readonly byte[] _current = new byte[16];
    private readonly byte[] _previous = new byte[16];
    private DateTimeOffset _rotatedAt;

    public TokenKeeper(Random random, DateTimeOffset now)
    {
        _random = random;
        random.NextBytes(_current);
        random.NextBytes(_previous);
        _rotatedAt = now;
    }

    /// <summary>Starts a new secret when the current one is 5 minutes old.</summary>
    public void Tick(DateTimeOffset now)
    {
        if (now - _rotatedAt >= RotateEvery)
        {
            _current.CopyTo(_previous, 0);
            _random.NextBytes(_current);
            _rotatedAt = now;
        }
    }

    public byte[] Issue(IPAddress requester)
    {
        var token = new byte[TokenLength];
        Compute(_current, requester, token);
        return token;
    }

    public bool IsValid(ReadOnlySpan<byte> token, IPAddress requester)
    {
        if (token.Length != TokenLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[TokenLength];
        Compute(_current, requester, expected);
        if (CryptographicOperations.FixedTimeEquals(token, expected))
        {
            return true;
        }

        Compute(_previous, requester, expected);
        return CryptographicOperations.FixedTimeEquals(token, expected);
    }

    private static void Compute(byte[] secret, IPAddress requester, Span<byte> token)
    {
        Span<byte> input = stackalloc byte[16 + 16];
        secret.CopyTo(input);
        requester.TryWriteBytes(input[16..], out int length);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input[..(16 + length)], hash);
        hash[..TokenLength].CopyTo(token);
    }
}
