using System.Diagnostics;
using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// BEP 52 hash requests against libtorrent 2.0: a magnet carries only the info dictionary, so the
/// piece layers of files larger than one piece must come from peers (hash request, hashes, hash
/// reject). We download a v2-only magnet (only <c>xt=urn:btmh:</c>, the seed as <c>x.pe</c>) and a
/// hybrid one from a libtorrent seed; libtorrent downloads both kinds of magnet from us. One file
/// has more than 512 pieces, so its layer comes in two requests with uncle hashes.
/// </summary>
public sealed class V2HashInteropTests(ITestOutputHelper output) : IDisposable
{
    private const string Name = "content";
    private const int PieceLength = 16 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static readonly IReadOnlyList<TestFile> Layout =
    [
        new("big.bin", (9L << 20) + 4_321),
        new("sub/mid.bin", (1L << 20) - 5),
        new("two.bin", PieceLength + 1),
        new("small.txt", 2_000),
    ];

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task We_download_a_magnet_from_a_libtorrent_seed_and_fetch_its_piece_layers(TorrentVersion version)
    {
        var (torrentPath, torrent) = await CreateAsync(version);
        using var lt = await LibtorrentPeer.StartSeedAsync(torrentPath, _data.PathOf("seed"), lifetime: TimeSpan.FromSeconds(150));
        var hashes = version == TorrentVersion.V2 ? new InfoHashes(null, torrent.InfoHashes.V2) : torrent.InfoHashes;
        string uri = MagnetLink.Create(hashes, Name, peers: [lt.EndPoint]).ToUri();
        if (version == TorrentVersion.V2)
        {
            Assert.Contains("xt=urn:btmh:", uri, StringComparison.Ordinal);
            Assert.DoesNotContain("btih", uri, StringComparison.Ordinal);
        }

        await using var sessions = new OurSessions();
        var session = await sessions.StartAsync();
        string outDir = _data.PathOf("out");
        var clock = Stopwatch.StartNew();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Magnet = MagnetLink.Parse(uri), SavePath = outDir });
        try
        {
            await sessions.WaitAsync(session, handle, s => s.HasMetadata, Deadline, "metadata");
            var metadataAt = clock.Elapsed;
            await sessions.WaitAsync(session, handle, s => s.State == TorrentState.Seeding, Deadline, "complete");
            output.WriteLine($"libtorrent -> us, {version} magnet: metadata at {metadataAt.TotalSeconds:0.00} s, complete at {clock.Elapsed.TotalSeconds:0.00} s");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nlibtorrent: " + lt.Process.StandardError, e);
        }

        var fetched = handle.TorrentInfo!;
        // A hybrid's SHA-1 hashes verify its pieces without layers, so they may still be on their way.
        await OurSessions.PollAsync(() => Task.FromResult(fetched.HasPieceLayers), has => has, TimeSpan.FromSeconds(20), _ => "the piece layers were not fetched");
        Assert.Equal(torrent.InfoBytes.ToArray(), fetched.InfoBytes.ToArray());
        // Every layer came from libtorrent and proved its root: the torrent written back carries them all.
        Assert.True(fetched.HasPieceLayers);
        foreach (var file in torrent.Files.Where(f => !f.IsPad && f.Length > PieceLength))
        {
            Assert.Equal(torrent.GetPieceLayer(file.Index).ToArray(), fetched.GetPieceLayer(file.Index).ToArray());
        }

        var written = TorrentInfo.Parse(fetched.ToBytes());
        Assert.True(written.HasPieceLayers);
        Assert.DoesNotContain(sessions.Alerts(session), a => a is HashFailedAlert or PeerErrorAlert);
        OurSessions.AssertSameFiles(_data.PathOf("seed"), outDir, Name, Layout);
    }

    [Theory]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Libtorrent_downloads_our_magnet_and_fetches_the_piece_layers_from_us(TorrentVersion version)
    {
        var (_, torrent) = await CreateAsync(version);
        await using var sessions = new OurSessions();
        var session = await sessions.StartAsync();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("seed") });
        await sessions.WaitAsync(session, handle, s => s.State == TorrentState.Seeding, Deadline, "seeding");

        var hashes = version == TorrentVersion.V2 ? new InfoHashes(null, torrent.InfoHashes.V2) : torrent.InfoHashes;
        string uri = MagnetLink.Create(hashes, Name).ToUri();
        string outDir = _data.PathOf("lt-out");
        Directory.CreateDirectory(outDir);
        using var lt = await LibtorrentPeer.StartDownloadAsync(
            uri, outDir, [new IPEndPoint(IPAddress.Loopback, session.ListenPort)], lifetime: TimeSpan.FromSeconds(120));
        PeerTransferResult result;
        try
        {
            result = await lt.WaitForCompletionAsync(Deadline);
        }
        catch (ToolFailedException e)
        {
            throw new ToolFailedException(e.Message + "\nour side: " + await sessions.DescribeAsync(session, handle));
        }

        Assert.Contains("\"event\": \"metadata\"", lt.Process.StandardOutput, StringComparison.Ordinal);
        output.WriteLine($"us -> libtorrent, {version} magnet: {result.Elapsed.TotalSeconds:0.00} s (libtorrent's clock, start-up included)");
        OurSessions.AssertSameFiles(_data.PathOf("seed"), outDir, Name, Layout);
        Assert.True((await handle.GetStatusAsync()).TotalPayloadUpload >= Layout.Sum(f => f.Size));
    }

    private async Task<(string Path, TorrentInfo Torrent)> CreateAsync(TorrentVersion version)
    {
        var folder = _data.CreateFolder("seed/" + Name, 52, Layout);
        var path = _data.PathOf("v2.torrent");
        var torrent = await TorrentCreator.CreateFileAsync(folder, path, new TorrentCreatorOptions { Version = version, PieceLength = PieceLength });
        return (path, torrent);
    }
}
