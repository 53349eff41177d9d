using System.Security.Cryptography;

namespace GodotTorrent.Net.Encryption;

/// <summary>
/// Where MSE gets its private keys and padding: the OS generator in production, a seeded
/// generator in simulation so a run replays exactly. Safe from any thread.
/// </summary>
internal sealed class RandomBytes
{
    private readonly Random? _seeded;

    private RandomBytes(Random? seeded) => _seeded = seeded;

    /// <summary>The OS's cryptographic generator.</summary>
    public static RandomBytes Secure { get; } = new(null);

    /// <summary>A deterministic source for tests and simulations (never for real peers).</summary>
    public static RandomBytes Seeded(int seed) => new(new Random(seed));

    public void Fill(Span<byte> destination)
    {
        if (_seeded is null)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        lock (_seeded)
        {
            _seeded.NextBytes(destination);
        }
    }

    /// <summary>A uniform length in [0, <paramref name="max"/>].</summary>
    public int NextLength(int max)
    {
        Span<byte> two = stackalloc byte[2];
        Fill(two);
        return ((two[0] << 8) | two[1]) % (max + 1);
    }
}
