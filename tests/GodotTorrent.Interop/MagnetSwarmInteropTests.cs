using System.Diagnostics;
using GodotTorrent.Alerts;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Magnets against libtorrent 2.0: we fetch the metadata (ut_metadata) from a libtorrent seed
/// that we found through the npm tracker named in the magnet, or through the magnet's <c>x.pe</c>
/// peer alone; and libtorrent fetches from us the metadata of a torrent only we have.
/// </summary>
public sealed class MagnetSwarmInteropTests(ITestOutputHelper output) : IDisposable
{
    private const string Name = "content";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly IReadOnlyList<TestFile> Layout =
    [
        new("a.bin", (3L << 20) + 4_321),
        new("sub/b.bin", (1L << 20) - 5),
        new("c.txt", 2_000),
    ];

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("http")]
    [InlineData("udp")]
    public async Task We_download_a_magnet_from_a_libtorrent_seed_found_through_the_magnets_tracker(string scheme)
    {
        using var tracker = await NodeTracker.StartAsync(TimeSpan.FromSeconds(120));
        string url = scheme == "http" ? tracker.HttpAnnounceUrl : tracker.UdpAnnounceUrl;
        var (torrentPath, torrent) = await CreateAsync(TorrentVersion.Hybrid, [[url]]);
        // libtorrent keeps the torrent's trackers (lt_tool seed adds the .torrent as it is) and announces to it.
        using var lt = await LibtorrentPeer.StartSeedAsync(torrentPath, _data.PathOf("seed"), lifetime: TimeSpan.FromSeconds(120));
        await WaitForTrackerToListAsync(torrent, url);

        // The magnet has the tracker and no peer.
        var magnet = torrent.ToMagnet();
        Assert.Equal([url], magnet.Trackers);
        Assert.Empty(magnet.Peers);
        await DownloadMagnetAsync(scheme + " tracker", magnet.ToUri(), torrent, lt);
    }

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task We_download_a_magnet_from_a_libtorrent_seed_given_only_as_its_x_pe_peer(TorrentVersion version)
    {
        var (torrentPath, torrent) = await CreateAsync(version, []);
        using var lt = await LibtorrentPeer.StartSeedAsync(torrentPath, _data.PathOf("seed"), lifetime: TimeSpan.FromSeconds(120));

        var magnet = MagnetLink.Create(torrent.InfoHashes, Name, peers: [lt.EndPoint]);
        Assert.Empty(magnet.Trackers);
        await DownloadMagnetAsync("x.pe " + version, magnet.ToUri(), torrent, lt);
    }

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Libtorrent_downloads_a_magnet_whose_metadata_only_we_have(TorrentVersion version)
    {
        var (_, torrent) = await CreateAsync(version, []);
        await using var sessions = new OurSessions();
        var session = await sessions.StartAsync();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("seed") });
        await sessions.WaitAsync(session, handle, s => s.State == TorrentState.Seeding, Deadline, "seeding");

        // No tracker, no peer in the link: libtorrent is told our port separately.
        string uri = torrent.ToMagnet().ToUri();
        Assert.DoesNotContain("x.pe", uri, StringComparison.Ordinal);
        Assert.DoesNotContain("tr=", uri, StringComparison.Ordinal);
        string outDir = _data.PathOf("lt-out");
        Directory.CreateDirectory(outDir);
        using var lt = await LibtorrentPeer.StartDownloadAsync(
            uri, outDir, [new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, session.ListenPort)], lifetime: TimeSpan.FromSeconds(90));
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
        output.WriteLine($"libtorrent <- us, magnet {version}: {result.Elapsed.TotalSeconds:0.00} s (libtorrent's clock, start-up included)");
        OurSessions.AssertSameFiles(_data.PathOf("seed"), outDir, Name, Layout);
        Assert.True((await handle.GetStatusAsync()).TotalPayloadUpload >= Layout.Sum(f => f.Size));
    }

    private async Task DownloadMagnetAsync(string what, string uri, TorrentInfo torrent, LibtorrentPeer lt)
    {
        await using var sessions = new OurSessions();
        var session = await sessions.StartAsync();
        string outDir = _data.PathOf("out");
        var clock = Stopwatch.StartNew();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Magnet = MagnetLink.Parse(uri), SavePath = outDir });
        Assert.Null(handle.TorrentInfo);
        try
        {
            await sessions.WaitAsync(session, handle, s => s.HasMetadata, Deadline, "metadata");
            var metadataAt = clock.Elapsed;
            await sessions.WaitAsync(session, handle, s => s.State == TorrentState.Seeding, Deadline, "complete");
            output.WriteLine($"{what}: metadata at {metadataAt.TotalSeconds:0.00} s, complete at {clock.Elapsed.TotalSeconds:0.00} s");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nlibtorrent: " + lt.Process.StandardError, e);
        }

        Assert.Equal(torrent.InfoHashes, handle.TorrentInfo!.InfoHashes);
        Assert.Equal(torrent.InfoBytes.ToArray(), handle.TorrentInfo.InfoBytes.ToArray());
        Assert.Contains(sessions.Alerts(session), a => a is MetadataReceivedAlert);
        OurSessions.AssertSameFiles(_data.PathOf("seed"), outDir, Name, Layout);
    }

    /// <summary>Bounded: the tracker lists the libtorrent seed (we scrape it with our own client until it counts one seed).</summary>
    private static async Task WaitForTrackerToListAsync(TorrentInfo torrent, string url)
    {
        using var factory = new Trackers.TrackerClientFactory(new Trackers.TrackerOptions { HttpTimeout = TimeSpan.FromSeconds(5), UdpRetryBase = TimeSpan.FromSeconds(1), UdpMaxRetries = 1 });
        using var client = factory.Create(new Uri(url));
        var hash = torrent.InfoHashes.Primary.Truncated.ToArray();
        await OurSessions.PollAsync(
            async () =>
            {
                try
                {
                    return (await client.ScrapeAsync(hash, CancellationToken.None)).Complete;
                }
                catch (Trackers.TrackerException)
                {
                    return 0;
                }
            },
            seeds => seeds >= 1,
            TimeSpan.FromSeconds(20),
            seeds => $"tracker {url} lists {seeds} seeds (libtorrent did not announce)");
    }

    private async Task<(string Path, TorrentInfo Torrent)> CreateAsync(TorrentVersion version, IReadOnlyList<IReadOnlyList<string>> trackers)
    {
        var folder = _data.CreateFolder("seed/" + Name, 31, Layout);
        var path = _data.PathOf("m.torrent");
        var torrent = await TorrentCreator.CreateFileAsync(folder, path, new TorrentCreatorOptions { Version = version, PieceLength = 64 * 1024, Trackers = trackers });
        return (path, torrent);
    }
}
