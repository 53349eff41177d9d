using System.Buffers;
using System.Collections.ObjectModel;
using System.Net;
using System.Net.Sockets;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Wire;

/// <summary>
/// The extension protocol handshake (BEP 10, extended id 0): the extensions the sender speaks
/// and the ids it wants them sent with, plus facts about itself.
/// </summary>
/// <remarks>
/// Parsing is lenient about content and strict about size: the payload must be a bencoded
/// dictionary within <see cref="Limits"/> (else <see cref="PeerProtocolException"/> with
/// <see cref="ErrorCode.InvalidExtensionMessage"/>), but a known key with the wrong type or an
/// impossible value is treated as absent, and unknown keys are ignored, as other clients do.
/// Bytes after the dictionary are ignored.
/// </remarks>
internal sealed record ExtensionHandshake
{
    /// <summary>Most extension names kept from <c>m</c>; more is hostile, so the rest are dropped.</summary>
    public const int MaxExtensions = 64;

    /// <summary>Longest extension name kept from <c>m</c>.</summary>
    public const int MaxExtensionNameLength = 64;

    /// <summary>Longest client name kept from <c>v</c>, in characters.</summary>
    public const int MaxClientNameLength = 128;

    /// <summary>Decoder limits for the payload: small, as a handshake is a few hundred bytes.</summary>
    public static BencodeLimits Limits { get; } = new()
    {
        MaxDepth = 8,
        MaxElements = 4096,
        MaxStringLength = 64 * 1024,
        MaxInputLength = 1024 * 1024,
    };

    /// <summary>
    /// <c>m</c>: extension name (such as <c>ut_metadata</c>, <c>ut_pex</c>) to the id the sender
    /// wants it sent with; 0 means the sender disabled it.
    /// </summary>
    public IReadOnlyDictionary<string, byte> Messages { get; init; } = ReadOnlyDictionary<string, byte>.Empty;

    private const string UtpPacketKey = "gt_utp_packet";

    /// <summary><c>v</c>: client name and version.</summary>
    public string? ClientName { get; init; }

    /// <summary><c>p</c>: the sender's listen port.</summary>
    public int? ListenPort { get; init; }

    /// <summary>
    /// <c>gt_utp_packet</c> (ours): the uTP payload size the sender accepts beyond an Ethernet
    /// frame's. Other clients ignore the key (BEP 10).
    /// </summary>
    public int? UtpPacketSize { get; init; }

    /// <summary><c>reqq</c>: how many outstanding requests the sender queues.</summary>
    public int? MaxRequests { get; init; }

    /// <summary><c>yourip</c>: our address as the sender sees it.</summary>
    public IPAddress? YourIp { get; init; }

    /// <summary><c>ipv4</c>: the sender's own IPv4 address.</summary>
    public IPAddress? Ipv4 { get; init; }

    /// <summary><c>ipv6</c>: the sender's own IPv6 address.</summary>
    public IPAddress? Ipv6 { get; init; }

    /// <summary><c>metadata_size</c>: size of the info dictionary in bytes (BEP 9).</summary>
    public long? MetadataSize { get; init; }

    /// <summary><c>upload_only</c>: the sender only uploads (a seed or a partial seed, BEP 21).</summary>
    public bool UploadOnly { get; init; }

    /// <summary>The id the sender wants <paramref name="name"/> sent with, or 0 when it does not support it.</summary>
    public byte GetMessageId(string name) => Messages.TryGetValue(name, out byte id) ? id : (byte)0;

    /// <summary>Parses an extension handshake payload (the bytes after the extended id).</summary>
    /// <exception cref="PeerProtocolException"><see cref="ErrorCode.InvalidExtensionMessage"/>: not a bencoded dictionary, or over the limits.</exception>
    public static ExtensionHandshake Parse(ReadOnlySpan<byte> payload)
    {
        BValue root;
        try
        {
            root = BencodeReader.DecodePrefix(payload, out _, Limits);
        }
        catch (BencodeException e)
        {
            throw new PeerProtocolException(ErrorCode.InvalidExtensionMessage, $"The extension handshake is not valid bencoding: {e.Message}", e);
        }

        if (root is not BDictionary dictionary)
        {
            throw new PeerProtocolException(ErrorCode.InvalidExtensionMessage, "The extension handshake is not a dictionary.");
        }

        var messages = new Dictionary<string, byte>(StringComparer.Ordinal);
        if (dictionary.Get<BDictionary>("m") is { } m)
        {
            foreach (var (key, value) in m.Entries)
            {
                if (messages.Count >= MaxExtensions)
                {
                    break;
                }

                if (value is BInteger { Value: >= 0 and <= 255 } id && key.Span.Length is > 0 and <= MaxExtensionNameLength && key.TryGetStrictText(out string name))
                {
                    messages[name] = (byte)id.Value;
                }
            }
        }

        string? client = dictionary.Get<BString>("v")?.Text;
        if (client is { Length: > MaxClientNameLength })
        {
            client = client[..MaxClientNameLength];
        }

        return new ExtensionHandshake
        {
            Messages = messages.AsReadOnly(),
            ClientName = client,
            ListenPort = dictionary.Get<BInteger>("p") is { Value: >= 1 and <= 65535 } p ? (int)p.Value : null,
            MaxRequests = dictionary.Get<BInteger>("reqq") is { Value: >= 1 and <= int.MaxValue } q ? (int)q.Value : null,
            UtpPacketSize = dictionary.Get<BInteger>(UtpPacketKey) is { Value: >= 1200 and <= 65000 } u ? (int)u.Value : null,
            YourIp = Address(dictionary.Get<BString>("yourip"), 4, 16),
            Ipv4 = Address(dictionary.Get<BString>("ipv4"), 4, 4),
            Ipv6 = Address(dictionary.Get<BString>("ipv6"), 16, 16),
            MetadataSize = dictionary.Get<BInteger>("metadata_size") is { Value: >= 0 } size ? size.Value : null,
            UploadOnly = dictionary.Get<BInteger>("upload_only") is { Value: not 0 },
        };
    }

    /// <summary>The bencoded payload (without the extended id), keys sorted.</summary>
    public byte[] ToBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the bencoded payload (without the extended id).</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        var m = new BDictionary();
        foreach (var (name, id) in Messages)
        {
            m.Set(name, new BInteger(id));
        }

        var root = new BDictionary();
        root.Set("m", m);
        if (ClientName is not null)
        {
            root.Set("v", new BString(ClientName));
        }

        if (ListenPort is { } port)
        {
            root.Set("p", new BInteger(port));
        }

        if (MaxRequests is { } reqq)
        {
            root.Set("reqq", new BInteger(reqq));
        }

        if (UtpPacketSize is { } utp)
        {
            root.Set(UtpPacketKey, new BInteger(utp));
        }

        if (YourIp is not null)
        {
            root.Set("yourip", new BString(YourIp.GetAddressBytes()));
        }

        if (Ipv4 is not null)
        {
            root.Set("ipv4", new BString(Ipv4.GetAddressBytes()));
        }

        if (Ipv6 is not null)
        {
            root.Set("ipv6", new BString(Ipv6.GetAddressBytes()));
        }

        if (MetadataSize is { } size)
        {
            root.Set("metadata_size", new BInteger(size));
        }

        if (UploadOnly)
        {
            root.Set("upload_only", new BInteger(1));
        }

        BencodeWriter.Write(output, root);
    }

    /// <inheritdoc/>
    public bool Equals(ExtensionHandshake? other) =>
        other is not null
        && ClientName == other.ClientName
        && ListenPort == other.ListenPort
        && MaxRequests == other.MaxRequests
        && Equals(YourIp, other.YourIp)
        && Equals(Ipv4, other.Ipv4)
        && Equals(Ipv6, other.Ipv6)
        && MetadataSize == other.MetadataSize
        && UploadOnly == other.UploadOnly
        && Messages.Count == other.Messages.Count
        && Messages.All(pair => other.Messages.TryGetValue(pair.Key, out byte id) && id == pair.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ClientName, ListenPort, MetadataSize, Messages.Count);

    private static IPAddress? Address(BString? value, int minLength, int maxLength)
    {
        if (value is null || (value.Span.Length != minLength && value.Span.Length != maxLength))
        {
            return null;
        }

        var address = new IPAddress(value.Span);
        return maxLength == 4 && address.AddressFamily != AddressFamily.InterNetwork ? null : address;
    }
}
