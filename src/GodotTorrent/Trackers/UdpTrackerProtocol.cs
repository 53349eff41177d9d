using System.Buffers.Binary;

namespace GodotTorrent.Trackers;

/// <summary>
/// Packet layouts of the UDP tracker protocol (BEP 15). All integers are big-endian; every reply
/// starts with a 4-byte action and the 4-byte transaction id of the request it answers.
/// </summary>
internal static class UdpTrackerProtocol
{
    /// <summary>The magic constant a connect request carries in place of a connection id.</summary>
    public const long ProtocolId = 0x41727101980;

    public const int ActionConnect = 0;
    public const int ActionAnnounce = 1;
    public const int ActionScrape = 2;
    public const int ActionError = 3;

    public const int ConnectRequestLength = 16;
    public const int ConnectReplyLength = 16;
    public const int AnnounceRequestLength = 98;
    public const int AnnounceReplyHeaderLength = 20;
    public const int ScrapeRequestLength = 36;
    public const int ScrapeReplyLength = 20;
    public const int ReplyHeaderLength = 8;

    public static byte[] ConnectRequest(int transactionId)
    {
        var packet = new byte[ConnectRequestLength];
        BinaryPrimitives.WriteInt64BigEndian(packet, ProtocolId);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), ActionConnect);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), transactionId);
        return packet;
    }

    public static byte[] AnnounceRequest(long connectionId, int transactionId, AnnounceRequest request)
    {
        var packet = new byte[AnnounceRequestLength];
        var span = packet.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(span, connectionId);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], ActionAnnounce);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], transactionId);
        request.InfoHash.Span[..20].CopyTo(span[16..]);
        request.PeerId.Span[..20].CopyTo(span[36..]);
        BinaryPrimitives.WriteInt64BigEndian(span[56..], Math.Max(0, request.Stats.Downloaded));
        BinaryPrimitives.WriteInt64BigEndian(span[64..], Math.Max(0, request.Stats.Left));
        BinaryPrimitives.WriteInt64BigEndian(span[72..], Math.Max(0, request.Stats.Uploaded));
        BinaryPrimitives.WriteInt32BigEndian(span[80..], (int)request.Event);
        BinaryPrimitives.WriteInt32BigEndian(span[84..], 0); // IP address: 0 = the packet's source
        BinaryPrimitives.WriteUInt32BigEndian(span[88..], request.Key);
        BinaryPrimitives.WriteInt32BigEndian(span[92..], request.NumWant);
        BinaryPrimitives.WriteUInt16BigEndian(span[96..], (ushort)request.Port);
        return packet;
    }

    public static byte[] ScrapeRequest(long connectionId, int transactionId, ReadOnlySpan<byte> infoHash)
    {
        var packet = new byte[ScrapeRequestLength];
        BinaryPrimitives.WriteInt64BigEndian(packet, connectionId);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), ActionScrape);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), transactionId);
        infoHash[..20].CopyTo(packet.AsSpan(16));
        return packet;
    }

    /// <summary>Reads a connect reply's connection id.</summary>
    public static long ParseConnect(ReadOnlySpan<byte> reply)
    {
        if (reply.Length < ConnectReplyLength)
        {
            throw Invalid($"A connect reply of {reply.Length} bytes is shorter than {ConnectReplyLength}");
        }

        return BinaryPrimitives.ReadInt64BigEndian(reply[8..]);
    }

    /// <summary>Reads an announce reply; peers are 6 bytes each over IPv4 and 18 over IPv6 (BEP 15's IPv6 rule).</summary>
    public static AnnounceResponse ParseAnnounce(ReadOnlySpan<byte> reply, bool ipv6, int maxPeers)
    {
        if (reply.Length < AnnounceReplyHeaderLength)
        {
            throw Invalid($"An announce reply of {reply.Length} bytes is shorter than {AnnounceReplyHeaderLength}");
        }

        int interval = BinaryPrimitives.ReadInt32BigEndian(reply[8..]);
        int leechers = BinaryPrimitives.ReadInt32BigEndian(reply[12..]);
        int seeders = BinaryPrimitives.ReadInt32BigEndian(reply[16..]);
        var peers = new PeerListBuilder(maxPeers);
        peers.AddCompact(reply[AnnounceReplyHeaderLength..], ipv6 ? PeerListBuilder.CompactV6Length : PeerListBuilder.CompactV4Length);
        return new AnnounceResponse
        {
            Interval = interval >= 0 ? TimeSpan.FromSeconds(interval) : null,
            Incomplete = leechers >= 0 ? leechers : null,
            Complete = seeders >= 0 ? seeders : null,
            Peers = peers.Peers,
        };
    }

    /// <summary>Reads the counts of the one hash a scrape asked for.</summary>
    public static ScrapeResponse ParseScrape(ReadOnlySpan<byte> reply)
    {
        if (reply.Length < ScrapeReplyLength)
        {
            throw Invalid($"A scrape reply of {reply.Length} bytes is shorter than {ScrapeReplyLength}");
        }

        return new ScrapeResponse(
            Math.Max(0, BinaryPrimitives.ReadInt32BigEndian(reply[8..])),
            Math.Max(0, BinaryPrimitives.ReadInt32BigEndian(reply[16..])),
            Math.Max(0, BinaryPrimitives.ReadInt32BigEndian(reply[12..])));
    }

    private static TrackerException Invalid(string message) => new(ErrorCode.InvalidTrackerResponse, message);
}
