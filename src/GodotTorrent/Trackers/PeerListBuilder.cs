using System.Buffers.Binary;
using System.Net;

namespace GodotTorrent.Trackers;

/// <summary>
/// Collects the peers of one tracker reply: compact IPv4 (BEP 23, 6 bytes each), compact IPv6
/// (BEP 7, 18 bytes each) and dictionary entries (BEP 3). Drops duplicates and addresses no
/// peer can have (port 0, unspecified, multicast, broadcast) and stops at a maximum count.
/// </summary>
internal sealed class PeerListBuilder(int maxPeers)
{
    /// <summary>Bytes of one compact IPv4 peer: address and port, network order (BEP 23).</summary>
    public const int CompactV4Length = 6;

    /// <summary>Bytes of one compact IPv6 peer (BEP 7).</summary>
    public const int CompactV6Length = 18;

    private readonly List<IPEndPoint> _peers = [];
    private readonly HashSet<IPEndPoint> _seen = [];

    public IReadOnlyList<IPEndPoint> Peers => _peers;

    /// <summary>Adds every peer of a compact list whose entries are <paramref name="entryLength"/> (6 or 18) bytes.</summary>
    /// <exception cref="TrackerException">The length is not a multiple of the entry length.</exception>
    public void AddCompact(ReadOnlySpan<byte> data, int entryLength)
    {
        if (data.Length % entryLength != 0)
        {
            throw new TrackerException(
                ErrorCode.InvalidTrackerResponse,
                $"A compact peer list of {data.Length} bytes is not a multiple of {entryLength}");
        }

        int addressLength = entryLength - 2;
        for (int at = 0; at < data.Length && _peers.Count < maxPeers; at += entryLength)
        {
            var address = new IPAddress(data.Slice(at, addressLength));
            int port = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(at + addressLength, 2));
            Add(address, port);
        }
    }

    /// <summary>Adds one peer; returns false when it was dropped (unusable, duplicate, or the list is full).</summary>
    public bool Add(IPAddress address, long port)
    {
        if (_peers.Count >= maxPeers || port is <= 0 or > IPEndPoint.MaxPort || !IsUsable(address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var endPoint = new IPEndPoint(address, (int)port);
        if (!_seen.Add(endPoint))
        {
            return false;
        }

        _peers.Add(endPoint);
        return true;
    }

    private static bool IsUsable(IPAddress address)
    {
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)
            || address.IsIPv6Multicast)
        {
            return false;
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            Span<byte> bytes = stackalloc byte[4];
            address.TryWriteBytes(bytes, out _);
            return bytes[0] is < 224 or > 239; // 224.0.0.0/4 is multicast
        }

        return true;
    }
}
