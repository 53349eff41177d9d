using System.Net;
using GodotTorrent.Metainfo;
using GodotTorrent.Trackers;

namespace GodotTorrent.Tests.Trackers;

/// <summary>Shared inputs for tracker tests: a hash and peer id with bytes that need escaping.</summary>
internal static class TrackerTestData
{
    public static readonly byte[] InfoHash = [.. Enumerable.Range(0, 20).Select(i => (byte)(i * 13 + 0x7F))];

    public static readonly byte[] PeerId = [.. "-GT0100-"u8.ToArray(), .. Enumerable.Range(0, 12).Select(i => (byte)(0xF0 + i))];

    public static InfoHashes Hashes => new(new InfoHash(InfoHash), null);

    public static AnnounceRequest Request(AnnounceEvent announceEvent = AnnounceEvent.Started, string? trackerId = null) => new()
    {
        InfoHash = InfoHash,
        PeerId = PeerId,
        Port = 6881,
        Stats = new TransferStats(100, 200, 300),
        Event = announceEvent,
        NumWant = 50,
        Key = 0xDEADBEEF,
        TrackerId = trackerId,
    };

    public static TrackerOptions FastOptions => new()
    {
        HttpTimeout = TimeSpan.FromSeconds(5),
        UdpRetryBase = TimeSpan.FromMilliseconds(100),
        UdpMaxRetries = 2,
    };

    /// <summary>Compact IPv4 peers (BEP 23).</summary>
    public static byte[] Compact(params (string Ip, int Port)[] peers) =>
        [.. peers.SelectMany(p => IPAddress.Parse(p.Ip).GetAddressBytes().Concat(new[] { (byte)(p.Port >> 8), (byte)p.Port }))];

    public static string Bencode(byte[] bytes) => $"{bytes.Length}:{System.Text.Encoding.Latin1.GetString(bytes)}";
}
