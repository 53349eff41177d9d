using System.Diagnostics;
using System.Net;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Peer exchange (BEP 11) with libtorrent 2.0, both directions, each bounded well under 90 s:
/// our sessions learn of each other from a libtorrent seed's ut_pex, and a libtorrent downloader
/// learns of one of our peers from our ut_pex and dials it.
/// </summary>
public sealed class PexInteropTests(ITestOutputHelper output) : IDisposable
{
    private const string Name = "content";
    private static readonly TimeSpan PexDeadline = TimeSpan.FromSeconds(80);

    // 4 MiB: with the uploader limited to 64 KB/s nobody completes within the test, so every
    // session keeps wanting peers (a finished session would not dial another seed).
    private static readonly IReadOnlyList<TestFile> Layout = [new("a.bin", 4L << 20)];

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    /// <summary>
    /// libtorrent seed L; our G1 and G2 each dial L and nobody else. They can only meet if L's
    /// ut_pex names one to the other: a connection between them whose source is "pex" proves it.
    /// </summary>
    [Fact]
    public async Task Our_sessions_learn_of_each_other_from_libtorrents_peer_exchange()
    {
        var torrentPath = await CreateAsync();
        var torrent = TorrentInfo.Load(torrentPath);
        using var lt = await LibtorrentPeer.StartSeedAsync(torrentPath, _data.PathOf("seed"), uploadLimit: 64 * 1024, lifetime: TimeSpan.FromSeconds(120));

        await using var sessions = new OurSessions();
        var g1 = await sessions.StartAsync();
        var g2 = await sessions.StartAsync();
        var clock = Stopwatch.StartNew();
        var h1 = await g1.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("g1"), Peers = [lt.EndPoint] });
        var h2 = await g2.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("g2"), Peers = [lt.EndPoint] });
        var g1EndPoint = new IPEndPoint(IPAddress.Loopback, g1.ListenPort);
        var g2EndPoint = new IPEndPoint(IPAddress.Loopback, g2.ListenPort);

        var (viaPex, via) = await OurSessions.PollAsync(
            async () =>
            {
                var p1 = await h1.GetPeersAsync();
                var p2 = await h2.GetPeersAsync();
                // The side that dialled has the other's listen endpoint with source "pex".
                var learned = p1.FirstOrDefault(p => p.Source == "pex" && p.EndPoint.Equals(g2EndPoint))
                    ?? p2.FirstOrDefault(p => p.Source == "pex" && p.EndPoint.Equals(g1EndPoint));
                return (learned, $"G1 peers: {Peers(p1)}; G2 peers: {Peers(p2)}");
            },
            r => r.learned is not null,
            PexDeadline,
            r => r.Item2);
        output.WriteLine($"libtorrent's PEX connected our two sessions after {clock.Elapsed.TotalSeconds:0.0} s ({via})");
        Assert.True(viaPex!.IsOutgoing);
        Assert.False((await h1.GetStatusAsync()).State == TorrentState.Seeding, "G1 finished: the limit did not hold");
    }

    /// <summary>
    /// Our seed G1 (upload-limited) with our downloader G2 connected to it; G2 allows one connection
    /// only, so it never dials anyone else. libtorrent downloader L is given only G1. L's log must
    /// show it dialling G2's listen port, which it can only have from G1's ut_pex.
    /// </summary>
    [Fact]
    public async Task Libtorrent_learns_of_our_peer_from_our_peer_exchange_and_dials_it()
    {
        var torrentPath = await CreateAsync();
        var torrent = TorrentInfo.Load(torrentPath);
        await using var sessions = new OurSessions();
        var g1 = await sessions.StartAsync(OurSessions.LoopbackSettings with { UploadRateLimit = 64 * 1024 });
        var h1 = await g1.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("seed") });
        await sessions.WaitAsync(g1, h1, s => s.State == TorrentState.Seeding, TimeSpan.FromSeconds(30), "seeding");
        var g1EndPoint = new IPEndPoint(IPAddress.Loopback, g1.ListenPort);

        var g2 = await sessions.StartAsync(OurSessions.LoopbackSettings with { MaxConnectionsPerTorrent = 1 });
        var h2 = await g2.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("g2"), Peers = [g1EndPoint] });
        await OurSessions.PollAsync(() => h1.GetPeersAsync(), p => p.Count == 1, TimeSpan.FromSeconds(20), Peers);

        string outDir = _data.PathOf("lt-out");
        Directory.CreateDirectory(outDir);
        var clock = Stopwatch.StartNew();
        using var lt = await LibtorrentPeer.StartDownloadAsync(torrentPath, outDir, [g1EndPoint], lifetime: TimeSpan.FromSeconds(120));
        string dial = $"127.0.0.1:{g2.ListenPort} client:";
        await OurSessions.PollAsync(
            () => Task.FromResult(lt.Process.StandardOutput),
            log => log.Split('\n').Any(l => l.Contains("\"peer_connect\"", StringComparison.Ordinal) && l.Contains(dial, StringComparison.Ordinal) && l.Contains("outgoing", StringComparison.Ordinal)),
            PexDeadline,
            log => "libtorrent never dialled G2 " + dial + ":\n" + string.Join('\n', log.Split('\n').Where(l => l.Contains("\"peer\"", StringComparison.Ordinal))));
        output.WriteLine($"libtorrent dialled the peer it learned from our PEX {clock.Elapsed.TotalSeconds:0.0} s after it started");

        // G2 never dialled libtorrent (one connection allowed, used by G1).
        Assert.DoesNotContain(await h2.GetPeersAsync(), p => p.EndPoint.Equals(lt.EndPoint));
    }

    private static string Peers(IReadOnlyList<PeerInfo> peers) =>
        string.Join(", ", peers.Select(p => $"{p.EndPoint} {p.Source} out={p.IsOutgoing}"));

    private async Task<string> CreateAsync()
    {
        var folder = _data.CreateFolder("seed/" + Name, 5, Layout);
        var path = _data.PathOf("p.torrent");
        await TorrentCreator.CreateFileAsync(folder, path, new TorrentCreatorOptions { Version = TorrentVersion.V1, PieceLength = 64 * 1024 });
        return path;
    }
}
