using System.Net;
using System.Net.Sockets;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// BEP 42: a node id's first 21 bits are the CRC-32C of the node's masked address with three
/// random bits, and its last byte is the random byte those bits came from. Nodes cannot then
/// pick ids to surround an info-hash.
/// </summary>
internal static class NodeIdSecurity
{
    private static ReadOnlySpan<byte> Mask4 => [0x03, 0x0F, 0x3F, 0xFF];

    private static ReadOnlySpan<byte> Mask6 => [0x01, 0x03, 0x07, 0x0F, 0x1F, 0x3F, 0x7F, 0xFF];

    /// <summary>An id for <paramref name="address"/> with a random last byte.</summary>
    public static Id20 Generate(IPAddress address, Random random) => Generate(address, (byte)random.Next(256), random);

    /// <summary>An id for <paramref name="address"/> whose last byte is <paramref name="rand"/> (the BEP's test vectors fix it).</summary>
    public static Id20 Generate(IPAddress address, byte rand, Random random)
    {
        Span<byte> id = stackalloc byte[Id20.Length];
        random.NextBytes(id);
        uint crc = Prefix(address, rand);
        id[0] = (byte)(crc >> 24);
        id[1] = (byte)(crc >> 16);
        id[2] = (byte)(((crc >> 8) & 0xF8) | (uint)(id[2] & 0x07));
        id[19] = rand;
        return new Id20(id);
    }

    /// <summary>True when <paramref name="id"/> is right for <paramref name="address"/>, or the address is one BEP 42 exempts (local networks).</summary>
    public static bool IsValid(Id20 id, IPAddress address)
    {
        if (IsExempt(address))
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[Id20.Length];
        id.CopyTo(bytes);
        uint crc = Prefix(address, bytes[19]);
        return bytes[0] == (byte)(crc >> 24) && bytes[1] == (byte)(crc >> 16) && (bytes[2] & 0xF8) == ((crc >> 8) & 0xF8);
    }

    /// <summary>Loopback, private and link-local addresses: their ids are not checked (BEP 42).</summary>
    public static bool IsExempt(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        }

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254);
    }

    private static uint Prefix(IPAddress address, byte rand)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> ip = stackalloc byte[16];
        address.TryWriteBytes(ip, out int length);
        var mask = length == 4 ? Mask4 : Mask6;
        var masked = ip[..mask.Length];
        for (int i = 0; i < mask.Length; i++)
        {
            masked[i] &= mask[i];
        }

        masked[0] |= (byte)((rand & 0x07) << 5);
        return Crc32C.Compute(masked);
    }
}
