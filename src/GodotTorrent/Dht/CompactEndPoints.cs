using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// BEP 5 compact forms: a peer is an address and a big-endian port (6 bytes, 18 for IPv6 as
/// BEP 32 says), a node is its id followed by that (26 or 38 bytes).
/// </summary>
internal static class CompactEndPoints
{
    public const int Peer4 = 6;
    public const int Peer6 = 18;
    public const int Node4 = Id20.Length + Peer4;
    public const int Node6 = Id20.Length + Peer6;

    public static int PeerSize(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? Peer6 : Peer4;

    public static int NodeSize(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? Node6 : Node4;

    /// <summary>Reads a 6- or 18-byte peer; null for any other length.</summary>
    public static IPEndPoint? ReadPeer(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is not (Peer4 or Peer6))
        {
            return null;
        }

        var address = new IPAddress(bytes[..^2]);
        return new IPEndPoint(address, BinaryPrimitives.ReadUInt16BigEndian(bytes[^2..]));
    }

    /// <summary>Writes <paramref name="endPoint"/> in compact form; returns the bytes written.</summary>
    public static int WritePeer(IPEndPoint endPoint, Span<byte> destination)
    {
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        address.TryWriteBytes(destination, out int length);
        BinaryPrimitives.WriteUInt16BigEndian(destination[length..], (ushort)endPoint.Port);
        return length + 2;
    }

    public static byte[] Peer(IPEndPoint endPoint)
    {
        Span<byte> buffer = stackalloc byte[Peer6];
        return buffer[..WritePeer(endPoint, buffer)].ToArray();
    }

    /// <summary>
    /// Reads a <c>nodes</c> (26-byte entries) or <c>nodes6</c> (38) string into <paramref name="into"/>,
    /// at most <paramref name="max"/> of them. False when the length is not a multiple of the entry.
    /// </summary>
    public static bool TryReadNodes(ReadOnlySpan<byte> data, AddressFamily family, List<DhtContact> into, int max)
    {
        int size = NodeSize(family);
        if (data.Length % size != 0)
        {
            return false;
        }

        for (int at = 0; at < data.Length && into.Count < max; at += size)
        {
            var entry = data.Slice(at, size);
            into.Add(new DhtContact(new Id20(entry[..Id20.Length]), ReadPeer(entry[Id20.Length..])!));
        }

        return true;
    }

    /// <summary>The contacts of one family as a <c>nodes</c>/<c>nodes6</c> string.</summary>
    public static byte[] Nodes(IReadOnlyList<DhtContact> contacts, AddressFamily family)
    {
        int size = NodeSize(family);
        int count = 0;
        foreach (var contact in contacts)
        {
            count += contact.EndPoint.AddressFamily == family ? 1 : 0;
        }

        var bytes = new byte[count * size];
        int at = 0;
        foreach (var contact in contacts)
        {
            if (contact.EndPoint.AddressFamily == family)
            {
                contact.Id.CopyTo(bytes.AsSpan(at));
                WritePeer(contact.EndPoint, bytes.AsSpan(at + Id20.Length));
                at += size;
            }
        }

        return bytes;
    }

    /// <summary>
    /// Addresses no node can have: unspecified, multicast, broadcast, port 0. Loopback and private
    /// addresses stay allowed (tests and LANs run DHTs there).
    /// </summary>
    public static bool IsBogus(IPEndPoint endPoint)
    {
        var address = endPoint.Address;
        if (endPoint.Port == 0 || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6Multicast;
        }

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return b[0] == 0 || b[0] >= 224;
    }
}
