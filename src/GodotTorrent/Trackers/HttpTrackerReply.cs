using System.Net;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Trackers;

/// <summary>
/// Decodes the bencoded bodies of HTTP tracker replies: announce (BEP 3, compact peers BEP 23,
/// IPv6 <c>peers6</c> BEP 7) and scrape (BEP 48). Any malformed body ends in a
/// <see cref="TrackerException"/>, never another exception.
/// </summary>
internal static class HttpTrackerReply
{
    private static readonly BencodeLimits Limits = new()
    {
        MaxDepth = 8,
        MaxStringLength = 4 * 1024 * 1024,
        MaxElements = 200_000,
        MaxInputLength = 16 * 1024 * 1024,
    };

    /// <summary>Decodes an announce reply, keeping at most <paramref name="maxPeers"/> peers.</summary>
    /// <exception cref="TrackerException">The tracker refused (<see cref="ErrorCode.TrackerFailure"/>) or the body is malformed.</exception>
    public static AnnounceResponse ParseAnnounce(ReadOnlySpan<byte> body, int maxPeers)
    {
        var root = DecodeRoot(body);
        var peers = new PeerListBuilder(maxPeers);
        if (root.TryGetValue("peers", out var peerValue))
        {
            switch (peerValue)
            {
                case BString compact:
                    peers.AddCompact(compact.Span, PeerListBuilder.CompactV4Length);
                    break;
                case BList list:
                    AddDictionaryPeers(peers, list);
                    break;
                default:
                    throw Invalid("'peers' is neither a string nor a list");
            }
        }

        if (root.TryGetValue("peers6", out var peers6Value))
        {
            if (peers6Value is not BString compact6)
            {
                throw Invalid("'peers6' is not a string");
            }

            peers.AddCompact(compact6.Span, PeerListBuilder.CompactV6Length);
        }

        return new AnnounceResponse
        {
            Interval = Seconds(root, "interval"),
            MinInterval = Seconds(root, "min interval"),
            TrackerId = root.TryGetValue("tracker id", out var id) && id is BString idText && idText.Span.Length is > 0 and <= 256
                ? TrackerText.Clean(idText.Span)
                : null,
            Warning = root.TryGetValue("warning message", out var warning) && warning is BString warningText
                ? TrackerText.Clean(warningText.Span)
                : null,
            Complete = Count(root, "complete"),
            Incomplete = Count(root, "incomplete"),
            Peers = peers.Peers,
        };
    }

    /// <summary>Decodes a scrape reply and returns the counts of <paramref name="infoHash"/> (20 bytes).</summary>
    /// <exception cref="TrackerException">The tracker refused, the body is malformed or has no entry for the hash.</exception>
    public static ScrapeResponse ParseScrape(ReadOnlySpan<byte> body, ReadOnlySpan<byte> infoHash)
    {
        var root = DecodeRoot(body);
        if (!root.TryGetValue("files", out var filesValue) || filesValue is not BDictionary files)
        {
            throw Invalid("The scrape reply has no 'files' dictionary");
        }

        // Node trackers (npm bittorrent-tracker) key 'files' by the hash as a Latin-1 string that
        // their bencoder writes as UTF-8, so bytes >= 0x80 arrive as two bytes; accept that form too.
        if ((!files.TryGetValue(infoHash, out var entryValue)
                && !files.TryGetValue(System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.Latin1.GetString(infoHash)), out entryValue))
            || entryValue is not BDictionary entry)
        {
            throw Invalid("The scrape reply has no entry for this torrent");
        }

        return new ScrapeResponse(Count(entry, "complete") ?? 0, Count(entry, "incomplete") ?? 0, Count(entry, "downloaded") ?? 0);
    }

    private static BDictionary DecodeRoot(ReadOnlySpan<byte> body)
    {
        BValue value;
        try
        {
            value = BencodeReader.Decode(body, Limits);
        }
        catch (BencodeException e)
        {
            throw new TrackerException(ErrorCode.InvalidTrackerResponse, $"The tracker's reply is not valid bencoding: {e.Message}", innerException: e);
        }

        if (value is not BDictionary root)
        {
            throw Invalid("The tracker's reply is not a dictionary");
        }

        // BEP 3: a failure reason means nothing else in the reply counts.
        if (root.TryGetValue("failure reason", out var failure))
        {
            string reason = failure is BString text ? TrackerText.Clean(text.Span) : string.Empty;
            throw new TrackerException(ErrorCode.TrackerFailure, reason.Length > 0 ? reason : "The tracker refused the request");
        }

        return root;
    }

    private static void AddDictionaryPeers(PeerListBuilder peers, BList list)
    {
        // BEP 3's original form: a list of {ip, port, peer id}. Entries we cannot use (host names,
        // which we do not resolve on a tracker's say-so, or bad ports) are skipped one by one.
        foreach (var item in list)
        {
            if (item is not BDictionary peer)
            {
                throw Invalid("A 'peers' list entry is not a dictionary");
            }

            if (peer.TryGetValue("ip", out var ip) && ip is BString ipText && ipText.Span.Length <= 64
                && peer.TryGetValue("port", out var port) && port is BInteger portNumber
                && IPAddress.TryParse(ipText.Text, out var address))
            {
                peers.Add(address, portNumber.Value);
            }
        }
    }

    private static TimeSpan? Seconds(BDictionary root, string key) =>
        root.TryGetValue(key, out var value) && value is BInteger seconds && seconds.Value >= 0
            ? TimeSpan.FromSeconds(Math.Min(seconds.Value, int.MaxValue))
            : null;

    private static int? Count(BDictionary root, string key) =>
        root.TryGetValue(key, out var value) && value is BInteger count && count.Value >= 0
            ? (int)Math.Min(count.Value, int.MaxValue)
            : null;

    private static TrackerException Invalid(string message) => new(ErrorCode.InvalidTrackerResponse, message);
}
