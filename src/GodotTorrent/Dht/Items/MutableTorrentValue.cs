using System.Diagnostics.CodeAnalysis;
using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Dht.Items;

/// <summary>
/// BEP 46: the value of the mutable item a torrent's publisher puts is the dictionary
/// <c>{ih: &lt;20-byte info-hash&gt;}</c>; a new sequence number with a new <c>ih</c> is a new version.
/// The 20 bytes are a v1 info-hash: BEP 46 predates v2, and libtorrent has no BEP 46 follower to
/// set another convention, so v2-only torrents are refused at publishing
/// (<c>SessionDhtItems.CheckChannelInfoHash</c>) rather than read back as a wrong v1 hash.
/// </summary>
internal static class MutableTorrentValue
{
    private static readonly BencodeLimits ReadLimits = new()
    {
        MaxDepth = 8,
        MaxInputLength = DhtItemFormat.MaxValueLength,
        MaxStringLength = DhtItemFormat.MaxValueLength,
        MaxElements = 256,
    };

    /// <summary>The bencoded value naming <paramref name="infoHash"/> (the publisher checks it is a v1 hash; a longer one is cut to 20 bytes).</summary>
    public static byte[] Encode(InfoHash infoHash)
    {
        ArgumentNullException.ThrowIfNull(infoHash);
        var value = new BDictionary();
        value.Set("ih", new BString(infoHash.Truncated.ToArray()));
        return BencodeWriter.Encode(value);
    }

    /// <summary>
    /// The info-hash in a BEP 46 value: false when the value is not a dictionary with a 20-byte
    /// <c>ih</c> string (other keys are ignored, so publishers may add their own).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> encodedValue, [NotNullWhen(true)] out InfoHash? infoHash)
    {
        infoHash = null;
        BValue value;
        try
        {
            value = BencodeReader.Decode(encodedValue, ReadLimits);
        }
        catch (BencodeException)
        {
            return false;
        }

        if (value is BDictionary dictionary && dictionary.Get<BString>("ih") is { Bytes.Length: InfoHash.V1Length } ih)
        {
            infoHash = new InfoHash(ih.Span);
        }

        return infoHash is not null;
    }
}
