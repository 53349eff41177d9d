using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace GodotTorrent.Wire;

/// <summary>
/// The canonical allowed-fast set for a peer (BEP 6): pieces derived from the peer's /24 and the
/// info-hash, so a peer cannot get more by reconnecting from a neighbouring address.
/// </summary>
internal static class AllowedFastSet
{
    /// <summary>The set size BEP 6 suggests.</summary>
    public const int DefaultCount = 10;

    /// <summary>Most pieces one set may hold; larger requests are clamped.</summary>
    public const int MaxCount = 256;

    /// <summary>
    /// Fills <paramref name="destination"/> with up to <paramref name="count"/> distinct piece
    /// indices (fewer when the torrent has fewer pieces) and returns how many it wrote.
    /// IPv4 (and IPv4-mapped) addresses follow BEP 6; an IPv6 address, which BEP 6 leaves open,
    /// is masked to its /48 and hashed as 16 bytes.
    /// </summary>
    /// <exception cref="ArgumentException">The info-hash is not 20 bytes.</exception>
    public static int Generate(IPAddress address, ReadOnlySpan<byte> infoHash, int pieceCount, int count, Span<int> destination)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (infoHash.Length != Id20.Length)
        {
            throw new ArgumentException("The wire info-hash has 20 bytes.", nameof(infoHash));
        }

        int k = Math.Min(Math.Min(count, MaxCount), Math.Min(pieceCount, destination.Length));
        if (k <= 0)
        {
            return 0;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> x = stackalloc byte[16 + Id20.Length];
        int ipLength;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(x, out ipLength);
            x[3] = 0;
        }
        else
        {
            address.TryWriteBytes(x, out ipLength);
            x[6..16].Clear();
        }

        infoHash.CopyTo(x[ipLength..]);
        Span<byte> hash = stackalloc byte[Id20.Length];
        SHA1.HashData(x[..(ipLength + Id20.Length)], hash);

        Span<byte> next = stackalloc byte[Id20.Length];
        int found = 0;
        while (true)
        {
            for (int i = 0; i < 5 && found < k; i++)
            {
                uint y = BinaryPrimitives.ReadUInt32BigEndian(hash[(i * 4)..]);
                int index = (int)(y % (uint)pieceCount);
                if (!destination[..found].Contains(index))
                {
                    destination[found++] = index;
                }
            }

            if (found == k)
            {
                return found;
            }

            SHA1.HashData(hash, next);
            next.CopyTo(hash);
        }
    }
}
