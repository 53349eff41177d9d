using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Wire;

/// <summary>
/// A ut_pex message: peers the sender connected to (<c>added</c>, <c>added6</c> with one flags byte
/// each in <c>added.f</c>, <c>added6.f</c>) and peers it dropped (<c>dropped</c>, <c>dropped6</c>)
/// since its previous message, in compact form (6 bytes per IPv4 peer, 18 per IPv6 peer).
/// </summary>
/// <remarks>
/// BEP 11: at most one message a minute, and at most 50 added and 50 dropped peers per message.
/// Real clients exceed the counts (libtorrent sends up to 100 added and any number dropped), so
/// entries over the parse limits are left out (<see cref="Truncated"/>) rather than treated as a
/// violation. A malformed payload (not a dictionary, a compact list whose length is not a
/// multiple of its entry size, or over <see cref="MaxPayloadLength"/>) is a
/// <see cref="PeerProtocolException"/>. A flags string of the wrong length is ignored (flags 0).
/// </remarks>
internal sealed class PexMessage
{
    /// <summary>The name in the extension handshake's <c>m</c> dictionary.</summary>
    public const string ExtensionName = "ut_pex";

    /// <summary>Most added, and most dropped, peers per message (BEP 11).</summary>
    public const int MaxPeersPerMessage = 50;

    /// <summary>Largest payload accepted; 50 + 50 IPv6 entries take under 2 KiB.</summary>
    public const int MaxPayloadLength = 64 * 1024;

    private const int V4Length = 6;
    private const int V6Length = 18;

    private static readonly BencodeLimits Limits = new()
    {
        MaxDepth = 4,
        MaxElements = 256,
        MaxStringLength = MaxPayloadLength,
        MaxInputLength = MaxPayloadLength,
    };

    /// <summary>Peers the sender connected to, IPv4 first.</summary>
    public IReadOnlyList<PexPeer> Added { get; init; } = [];

    /// <summary>Peers the sender disconnected from, IPv4 first.</summary>
    public IReadOnlyList<IPEndPoint> Dropped { get; init; } = [];

    /// <summary>True when the parsed message held more entries than the limits and some were left out.</summary>
    public bool Truncated { get; init; }

    /// <summary>Parses a ut_pex payload (the bytes after the extended id).</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="maxAdded">Most added peers kept (IPv4 and IPv6 together); the rest are left out.</param>
    /// <param name="maxDropped">Most dropped peers kept; the rest are left out.</param>
    /// <exception cref="PeerProtocolException"><see cref="ErrorCode.InvalidExtensionMessage"/>: the payload is malformed or too large.</exception>
    public static PexMessage Parse(ReadOnlySpan<byte> payload, int maxAdded = MaxPeersPerMessage, int maxDropped = MaxPeersPerMessage)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxAdded);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDropped);
        if (payload.Length > MaxPayloadLength)
        {
            throw Invalid($"A ut_pex message of {payload.Length} bytes exceeds the limit of {MaxPayloadLength}.");
        }

        BValue root;
        try
        {
            root = BencodeReader.DecodePrefix(payload, out _, Limits);
        }
        catch (BencodeException e)
        {
            throw new PeerProtocolException(ErrorCode.InvalidExtensionMessage, $"A ut_pex message is not valid bencoding: {e.Message}", e);
        }

        if (root is not BDictionary dictionary)
        {
            throw Invalid("A ut_pex message is not a dictionary.");
        }

        var added4 = Compact(dictionary, "added", V4Length);
        var added6 = Compact(dictionary, "added6", V6Length);
        var dropped4 = Compact(dictionary, "dropped", V4Length);
        var dropped6 = Compact(dictionary, "dropped6", V6Length);
        var flags4 = Flags(dictionary, "added.f", added4.Length / V4Length);
        var flags6 = Flags(dictionary, "added6.f", added6.Length / V6Length);

        var added = new List<PexPeer>(Math.Min(maxAdded, (added4.Length / V4Length) + (added6.Length / V6Length)));
        bool truncated = false;
        truncated |= ReadAdded(added4, flags4, V4Length, added, maxAdded);
        truncated |= ReadAdded(added6, flags6, V6Length, added, maxAdded);

        var dropped = new List<IPEndPoint>(Math.Min(maxDropped, (dropped4.Length / V4Length) + (dropped6.Length / V6Length)));
        truncated |= ReadDropped(dropped4, V4Length, dropped, maxDropped);
        truncated |= ReadDropped(dropped6, V6Length, dropped, maxDropped);

        return new PexMessage { Added = added.AsReadOnly(), Dropped = dropped.AsReadOnly(), Truncated = truncated };
    }

    /// <summary>
    /// The bencoded payload (without the extended id). Every list key is written, empty or not,
    /// as libtorrent does. IPv4-mapped IPv6 addresses are written as IPv4.
    /// </summary>
    public byte[] ToBytes()
    {
        using var added4 = new MemoryStream();
        using var flags4 = new MemoryStream();
        using var added6 = new MemoryStream();
        using var flags6 = new MemoryStream();
        using var dropped4 = new MemoryStream();
        using var dropped6 = new MemoryStream();
        foreach (var (endPoint, flags) in Added)
        {
            bool v4 = WriteEndPoint(endPoint, added4, added6);
            (v4 ? flags4 : flags6).WriteByte((byte)flags);
        }

        foreach (var endPoint in Dropped)
        {
            WriteEndPoint(endPoint, dropped4, dropped6);
        }

        var dictionary = new BDictionary();
        dictionary.Set("added", new BString(added4.ToArray()));
        dictionary.Set("added.f", new BString(flags4.ToArray()));
        dictionary.Set("added6", new BString(added6.ToArray()));
        dictionary.Set("added6.f", new BString(flags6.ToArray()));
        dictionary.Set("dropped", new BString(dropped4.ToArray()));
        dictionary.Set("dropped6", new BString(dropped6.ToArray()));
        return BencodeWriter.Encode(dictionary);
    }

    /// <summary>The endpoint with an IPv4-mapped IPv6 address turned into plain IPv4, so one peer has one form.</summary>
    public static IPEndPoint Normalize(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
    }

    private static ReadOnlySpan<byte> Compact(BDictionary dictionary, string key, int entryLength)
    {
        if (dictionary.Get<BString>(key) is not { } value)
        {
            return default;
        }

        if (value.Span.Length % entryLength != 0)
        {
            throw Invalid($"The ut_pex '{key}' list is {value.Span.Length} bytes, not a multiple of {entryLength}.");
        }

        return value.Span;
    }

    private static ReadOnlySpan<byte> Flags(BDictionary dictionary, string key, int count) =>
        dictionary.Get<BString>(key) is { } value && value.Span.Length == count ? value.Span : default;

    private static bool ReadAdded(ReadOnlySpan<byte> compact, ReadOnlySpan<byte> flags, int entryLength, List<PexPeer> output, int max)
    {
        for (int i = 0; i * entryLength < compact.Length; i++)
        {
            if (output.Count >= max)
            {
                return true;
            }

            var endPoint = ReadEndPoint(compact.Slice(i * entryLength, entryLength));
            output.Add(new PexPeer(endPoint, flags.IsEmpty ? PexFlags.None : (PexFlags)flags[i]));
        }

        return false;
    }

    private static bool ReadDropped(ReadOnlySpan<byte> compact, int entryLength, List<IPEndPoint> output, int max)
    {
        for (int i = 0; i * entryLength < compact.Length; i++)
        {
            if (output.Count >= max)
            {
                return true;
            }

            output.Add(ReadEndPoint(compact.Slice(i * entryLength, entryLength)));
        }

        return false;
    }

    private static IPEndPoint ReadEndPoint(ReadOnlySpan<byte> entry) =>
        Normalize(new IPEndPoint(new IPAddress(entry[..^2]), BinaryPrimitives.ReadUInt16BigEndian(entry[^2..])));

    /// <summary>Appends the compact form to the IPv4 or IPv6 list; true for IPv4.</summary>
    private static bool WriteEndPoint(IPEndPoint endPoint, MemoryStream v4, MemoryStream v6)
    {
        endPoint = Normalize(endPoint);
        bool isV4 = endPoint.AddressFamily == AddressFamily.InterNetwork;
        Span<byte> entry = stackalloc byte[V6Length];
        int length = isV4 ? V4Length : V6Length;
        endPoint.Address.TryWriteBytes(entry, out _);
        BinaryPrimitives.WriteUInt16BigEndian(entry[(length - 2)..], (ushort)endPoint.Port);
        (isV4 ? v4 : v6).Write(entry[..length]);
        return isV4;
    }

    private static PeerProtocolException Invalid(string message) => new(ErrorCode.InvalidExtensionMessage, message);
}
