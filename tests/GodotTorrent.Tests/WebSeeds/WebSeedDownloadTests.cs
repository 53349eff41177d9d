using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.WebSeeds;

/// <summary>
/// Downloads from web seeds (BEP 19) through the session. Real threads and real files: HTTP runs
/// on the thread pool (HttpClient's own continuations leave any stepped scheduler), so these use
/// the threaded loop with the in-memory <see cref="FakeWebServer"/> injected as the HTTP handler.
/// Every wait is bounded; nothing sleeps.
/// </summary>
public sealed class WebSeedDownloadTests
{
    private const string Base = "http://cdn.test/files/";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static readonly (string Path, int Length)[] MultiFiles =
    [
        ("a file with spaces.bin", 70_000),
        ("empty.txt", 0),
        ("dossier/été ünïcode #1?.dat", 150_000),
        ("100% done.bin", 33_000),
    ];

    [Fact]
    public async Task MultiFileTorrentCompletesFromOneWebSeedByteExact()
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack name", MultiFiles, TorrentVersion.V1);
        var server = new FakeWebServer();
        server.AddTorrent("/files/", seedFolder, torrent);
        var (session, handle, downloads) = await AddAsync(swarm, server, torrent, [Base]);

        var status = await WaitCompleteAsync(handle);

        AssertSameFiles(torrent, seedFolder, downloads);
        Assert.Equal(torrent.TotalSize, status.WebSeedBytesDownloaded);
        Assert.Equal(torrent.TotalSize, (await session.GetStatisticsAsync()).WebSeedBytesDownloaded);
        Assert.Contains(server.Log, r => r.Path == "/files/pack name/dossier/été ünïcode #1?.dat");
        Assert.DoesNotContain(server.Log, r => r.Path.EndsWith("empty.txt", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(TorrentVersion.Hybrid)]
    [InlineData(TorrentVersion.V2)]
    public async Task HybridAndV2TorrentsCompleteAndNeverRequestPadFiles(TorrentVersion version)
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "aligned pack", MultiFiles, version);
        Assert.Equal(version == TorrentVersion.Hybrid, torrent.Files.Any(f => f.IsPad));
        var server = new FakeWebServer();
        server.AddTorrent("/files/", seedFolder, torrent);
        var (_, handle, downloads) = await AddAsync(swarm, server, torrent, [Base]);

        await WaitCompleteAsync(handle);

        AssertSameFiles(torrent, seedFolder, downloads);
        Assert.DoesNotContain(server.Log, r => r.Path.Contains(".pad", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://cdn.test/single/", "/single/one file.bin")]
    [InlineData("http://cdn.test/elsewhere/renamed.bin", "/elsewhere/renamed.bin")]
    public async Task SingleFileTorrentUsesTheUrlOrTheUrlPlusTheName(string url, string path)
    {
        await using var swarm = new SwarmFixture();
        var folder = swarm.Folder("seed");
        var data = new byte[200_000];
        new Random(5).NextBytes(data);
        var file = Path.Combine(folder, "one file.bin");
        await File.WriteAllBytesAsync(file, data);
        var torrent = await TorrentCreator.CreateAsync(file, new TorrentCreatorOptions { PieceLength = 32768 });
        var server = new FakeWebServer();
        server.AddFile(path, data);
        var (_, handle, downloads) = await AddAsync(swarm, server, torrent, [url]);

        await WaitCompleteAsync(handle);

        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(downloads, "one file.bin")));
        Assert.All(server.Log, r => Assert.Equal(path, r.Path));
    }

    [Fact]
    public async Task CorruptingWebSeedIsDroppedAndTheGoodOneCompletes()
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack", MultiFiles, TorrentVersion.V1);
        // The good server is slow, so the bad one serves enough pieces to be found out.
        var server = new FakeWebServer { Intercept = async (_, _) => { await Task.Delay(200); return null; } };
        server.AddTorrent("/files/", seedFolder, torrent);
        var bad = new FakeWebServer { Corrupt = true };
        bad.AddTorrent("/files/", seedFolder, torrent);
        var router = new RoutingServer(("good.test", server), ("bad.test", bad));
        var (session, handle, downloads) = await AddAsync(swarm, router, torrent, ["http://bad.test/files/", "http://good.test/files/"]);
        var seen = new List<Alert>();
        using var cts = new CancellationTokenSource(Limit);

        var dropped = await SwarmFixture.WaitForAlertAsync<UrlSeedAlert>(session, seen, a => a.Dropped, cts.Token);
        await WaitCompleteAsync(handle);

        Assert.Equal("http://bad.test/files/", dropped.Url);
        Assert.Equal(ErrorCode.WebSeedHashFailed, dropped.Error);
        AssertSameFiles(torrent, seedFolder, downloads);
    }

    [Fact]
    public async Task ServiceUnavailableWithRetryAfterBacksOffThenCompletes()
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack", MultiFiles, TorrentVersion.V1);
        var server = new FakeWebServer
        {
            Intercept = (_, number) => Task.FromResult(number <= 2 ? Busy() : null),
        };
        server.AddTorrent("/files/", seedFolder, torrent);
        var (session, handle, downloads) = await AddAsync(swarm, server, torrent, [Base]);
        var seen = new List<Alert>();
        using var cts = new CancellationTokenSource(Limit);

        var alert = await SwarmFixture.WaitForAlertAsync<UrlSeedAlert>(session, seen, _ => true, cts.Token);
        await WaitCompleteAsync(handle);

        Assert.Equal(503, alert.HttpStatus);
        Assert.False(alert.Dropped);
        AssertSameFiles(torrent, seedFolder, downloads);

        static HttpResponseMessage Busy()
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("<html>busy</html>") };
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return response;
        }
    }

    [Fact]
    public async Task UnreachableServerBacksOffThenCompletes()
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack", MultiFiles, TorrentVersion.V1);
        var server = new FakeWebServer
        {
            Intercept = (_, number) => number <= 2 ? throw new HttpRequestException("Connection refused (cdn.test:80)") : Task.FromResult<HttpResponseMessage?>(null),
        };
        server.AddTorrent("/files/", seedFolder, torrent);
        var (session, handle, downloads) = await AddAsync(swarm, server, torrent, [Base]);
        var seen = new List<Alert>();
        using var cts = new CancellationTokenSource(Limit);

        var alert = await SwarmFixture.WaitForAlertAsync<UrlSeedAlert>(session, seen, _ => true, cts.Token);
        await WaitCompleteAsync(handle);

        Assert.Equal(ErrorCode.WebSeedConnectFailed, alert.Error);
        Assert.Equal(0, alert.HttpStatus);
        Assert.False(alert.Dropped);
        AssertSameFiles(torrent, seedFolder, downloads);
    }

    [Fact]
    public async Task SilentServerTimesOutThenCompletes()
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack", MultiFiles, TorrentVersion.V1);
        var never = new TaskCompletionSource<HttpResponseMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new FakeWebServer { Intercept = (_, number) => number == 1 ? never.Task : Task.FromResult<HttpResponseMessage?>(null) };
        server.AddTorrent("/files/", seedFolder, torrent);
        var session = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { WebSeedRequestTimeout = TimeSpan.FromMilliseconds(300) },
            new TorrentSessionOptions { HttpHandlerFactory = server.CreateHandler });
        var downloads = swarm.Folder("down");
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = downloads });
        await handle.AddWebSeedAsync(Base);
        var seen = new List<Alert>();
        using var cts = new CancellationTokenSource(Limit);

        var alert = await SwarmFixture.WaitForAlertAsync<UrlSeedAlert>(session, seen, _ => true, cts.Token);
        await WaitCompleteAsync(handle);

        Assert.Equal(ErrorCode.WebSeedTimeout, alert.Error);
        AssertSameFiles(torrent, seedFolder, downloads);
        never.SetResult(null);
    }

    [Fact]
    public async Task PausingStopsWebSeedsAndResumingStartsThemAgain()
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack", MultiFiles, TorrentVersion.V1);
        var gate = new TaskCompletionSource<HttpResponseMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new FakeWebServer { Intercept = (_, _) => gate.Task };
        server.AddTorrent("/files/", seedFolder, torrent);
        var (_, handle, downloads) = await AddAsync(swarm, server, torrent, [Base]);
        using var cts = new CancellationTokenSource(Limit);
        while (server.Requests == 0)
        {
            await Task.Delay(10, cts.Token);
        }

        await handle.PauseAsync();
        Assert.Empty(await handle.GetPeersAsync());
        gate.SetResult(null);
        await handle.ResumeAsync();
        await WaitCompleteAsync(handle);

        AssertSameFiles(torrent, seedFolder, downloads);
        Assert.Empty(await handle.GetPeersAsync());
    }

    [Fact]
    public async Task ServerThatIgnoresRangesIsRefusedAndNothingIsWritten()
    {
        await using var swarm = new SwarmFixture();

        // A file bigger than one GET, so ranges are parts of it (a whole-file 200 would be a right answer).
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack", [("big.bin", 3_000_000)], TorrentVersion.V1);
        var server = new FakeWebServer { IgnoreRanges = true };
        server.AddTorrent("/files/", seedFolder, torrent);
        var (session, handle, _) = await AddAsync(swarm, server, torrent, [Base]);
        var seen = new List<Alert>();
        using var cts = new CancellationTokenSource(Limit);

        var dropped = await SwarmFixture.WaitForAlertAsync<UrlSeedAlert>(session, seen, a => a.Dropped, cts.Token);

        Assert.Equal(ErrorCode.WebSeedRangesNotSupported, dropped.Error);
        Assert.Equal(200, dropped.HttpStatus);
        var status = await handle.GetStatusAsync();
        Assert.Equal(0, status.WebSeedBytesDownloaded);
        Assert.Equal(0, status.PiecesDone);
        Assert.Empty(await handle.GetPeersAsync());
    }

    [Fact]
    public async Task UnusableUrlsInTheTorrentAreDroppedAndAGoodOneAddedLaterCompletes()
    {
        await using var swarm = new SwarmFixture();
        var (plain, seedFolder) = await CreateAsync(swarm, "pack", MultiFiles, TorrentVersion.V1);
        // Unparseable URLs (the fake handler answers any scheme, so ftp:// and file://, which the
        // real handler refuses with NotSupportedException, cannot be shown here).
        string[] unusable = ["http://[::1/", "http://cdn.test:99999/files/"];
        var torrent = await TorrentCreator.CreateAsync(Path.Combine(seedFolder, "pack"), new TorrentCreatorOptions
        {
            PieceLength = plain.PieceLength,
            Version = TorrentVersion.V1,
            WebSeeds = unusable,
        });
        var server = new FakeWebServer();
        server.AddTorrent("/files/", seedFolder, torrent);
        var session = await swarm.StartSessionAsync(options: new TorrentSessionOptions { HttpHandlerFactory = server.CreateHandler });
        var downloads = swarm.Folder("down");
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = downloads });
        var seen = new List<Alert>();
        using var cts = new CancellationTokenSource(Limit);

        // Each fails as a permanent error and is dropped at its third strike; the exception used to
        // escape the fetch instead, leaving its run counted forever and no alert.
        foreach (var url in unusable)
        {
            var dropped = await SwarmFixture.WaitForAlertAsync<UrlSeedAlert>(session, seen, a => a.Dropped && a.Url == url, cts.Token);
            Assert.Equal(ErrorCode.WebSeedHttpError, dropped.Error);
            Assert.Contains("not a usable http or https URL", dropped.ErrorMessage, StringComparison.Ordinal);
        }

        await handle.AddWebSeedAsync(Base, cts.Token);
        await WaitCompleteAsync(handle);
        AssertSameFiles(torrent, seedFolder, downloads);
    }

    [Fact]
    public async Task RedirectLoopFailsCleanly()
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack", MultiFiles, TorrentVersion.V1);
        var server = new FakeWebServer
        {
            Intercept = (request, _) =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.Found);
                response.Headers.Location = new Uri(request.RequestUri!.AbsolutePath.StartsWith("/a/", StringComparison.Ordinal) ? "/b/x" : "/a/x", UriKind.Relative);
                return Task.FromResult<HttpResponseMessage?>(response);
            },
        };
        server.AddTorrent("/files/", seedFolder, torrent);
        var (session, _, _) = await AddAsync(swarm, server, torrent, [Base]);
        var seen = new List<Alert>();
        using var cts = new CancellationTokenSource(Limit);

        var dropped = await SwarmFixture.WaitForAlertAsync<UrlSeedAlert>(session, seen, a => a.Dropped, cts.Token);

        Assert.Equal(ErrorCode.WebSeedTooManyRedirects, dropped.Error);
        Assert.Contains("loop", dropped.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovingAWebSeedMidDownloadHandsItsBlocksToAnother()
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack", MultiFiles, TorrentVersion.V1);
        var stuck = new TaskCompletionSource<HttpResponseMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hanging = new FakeWebServer { Intercept = (_, _) => stuck.Task };
        var good = new FakeWebServer();
        good.AddTorrent("/files/", seedFolder, torrent);
        var router = new RoutingServer(("hang.test", hanging), ("good.test", good));
        var (_, handle, downloads) = await AddAsync(swarm, router, torrent, ["http://hang.test/files/"]);
        using var cts = new CancellationTokenSource(Limit);
        while (hanging.Requests == 0)
        {
            await Task.Delay(10, cts.Token);
        }

        var before = Assert.Single(await handle.GetPeersAsync());
        Assert.Equal("web_seed", before.ConnectionType);
        Assert.True(before.PendingRequests > 0);

        Assert.True(await handle.RemoveWebSeedAsync("http://hang.test/files/"));
        Assert.Empty(await handle.GetPeersAsync());
        await handle.AddWebSeedAsync("http://good.test/files/");
        await WaitCompleteAsync(handle);

        AssertSameFiles(torrent, seedFolder, downloads);
        stuck.SetResult(null);
    }

    [Fact]
    public async Task DisabledWebSeedsAreNotUsed()
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack", MultiFiles, TorrentVersion.V1);
        var server = new FakeWebServer();
        server.AddTorrent("/files/", seedFolder, torrent);
        var session = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { EnableWebSeeds = false },
            new TorrentSessionOptions { HttpHandlerFactory = server.CreateHandler });
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("down") });
        await handle.AddWebSeedAsync(Base);
        using var cts = new CancellationTokenSource(Limit);
        await handle.WaitForStateAsync(TorrentState.Downloading, cts.Token);

        // Two engine ticks (one a second) would have started it.
        var tick = await handle.WaitForAsync(s => s.ActiveTime >= TimeSpan.FromSeconds(2), cts.Token);

        Assert.Equal(0, server.Requests);
        Assert.Equal(0, tick.WebSeedBytesDownloaded);
    }

    [Fact]
    public async Task WebSeedAndPeerBothDeliver()
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack", [("big.bin", 12_000_000)], TorrentVersion.V1);

        // Neither source can take everything before the other answers: the peer sends 4 MB/s, the web seed waits before each GET.
        var seedSession = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { UploadRateLimit = 4_000_000 });
        var seed = await seedSession.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        using var cts = new CancellationTokenSource(Limit);
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var server = new FakeWebServer { Intercept = async (_, _) => { await Task.Delay(300); return null; } };
        server.AddTorrent("/files/", seedFolder, torrent);
        var (_, handle, downloads) = await AddAsync(swarm, server, torrent, [Base]);
        await handle.ConnectPeerAsync(SwarmFixture.EndPointOf(seedSession));

        var status = await WaitCompleteAsync(handle);

        AssertSameFiles(torrent, seedFolder, downloads);
        Assert.InRange(status.WebSeedBytesDownloaded, 1, torrent.TotalSize - 1);
    }

    [Fact]
    public async Task AMagnetsWebSeedIsUsedOnceAPeerGaveTheMetadata()
    {
        await using var swarm = new SwarmFixture();
        var (torrent, seedFolder) = await CreateAsync(swarm, "pack", [("big.bin", 3_000_000)], TorrentVersion.V1);

        // The peer can hand over the metadata (a few KB) but would need a minute for the data: the magnet's ws= must do the rest.
        var seedSession = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { UploadRateLimit = 50_000 });
        var seed = await seedSession.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });
        using var cts = new CancellationTokenSource(Limit);
        await seed.WaitForStateAsync(TorrentState.Seeding, cts.Token);

        var server = new FakeWebServer();
        server.AddTorrent("/files/", seedFolder, torrent);
        var magnet = MagnetLink.Create(torrent.InfoHashes, torrent.OriginalName, [], [Base]);
        Assert.Equal([Base], MagnetLink.Parse(magnet.ToString()).WebSeeds);
        var session = await swarm.StartSessionAsync(options: new TorrentSessionOptions { HttpHandlerFactory = server.CreateHandler });
        var downloads = swarm.Folder("down-magnet");
        var handle = await session.AddTorrentAsync(AddTorrentParams.FromMagnet(magnet.ToString(), downloads));
        await handle.ConnectPeerAsync(SwarmFixture.EndPointOf(seedSession));

        var status = await WaitCompleteAsync(handle);

        AssertSameFiles(torrent, seedFolder, downloads);
        Assert.True(status.WebSeedBytesDownloaded > torrent.TotalSize / 2, $"web seed gave {status.WebSeedBytesDownloaded} of {torrent.TotalSize} bytes");
        Assert.Contains(server.Log, r => r.Path == "/files/pack/big.bin");
    }

    internal static async Task<(TorrentInfo Torrent, string SeedFolder)> CreateAsync(SwarmFixture swarm, string name, IReadOnlyList<(string Path, int Length)> files, TorrentVersion version)
    {
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, name, files, pieceLength: 32768, version: version);
        return (torrent, seedFolder);
    }

    private static async Task<(TorrentSession Session, TorrentHandle Handle, string Downloads)> AddAsync(SwarmFixture swarm, FakeWebServer server, TorrentInfo torrent, IReadOnlyList<string> urls) =>
        await AddAsync(swarm, server.CreateHandler, torrent, urls);

    private static async Task<(TorrentSession Session, TorrentHandle Handle, string Downloads)> AddAsync(SwarmFixture swarm, RoutingServer server, TorrentInfo torrent, IReadOnlyList<string> urls) =>
        await AddAsync(swarm, server.CreateHandler, torrent, urls);

    private static async Task<(TorrentSession Session, TorrentHandle Handle, string Downloads)> AddAsync(SwarmFixture swarm, Func<HttpMessageHandler> handlers, TorrentInfo torrent, IReadOnlyList<string> urls)
    {
        var session = await swarm.StartSessionAsync(options: new TorrentSessionOptions { HttpHandlerFactory = handlers });
        var downloads = swarm.Folder("down-" + Guid.NewGuid().ToString("N"));
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = downloads, Paused = true });
        foreach (var url in urls)
        {
            await handle.AddWebSeedAsync(url);
        }

        await handle.ResumeAsync();
        return (session, handle, downloads);
    }

    private static async Task<TorrentStatus> WaitCompleteAsync(TorrentHandle handle)
    {
        using var cts = new CancellationTokenSource(Limit);
        return await handle.WaitForAsync(s => s.State == TorrentState.Seeding, cts.Token);
    }

    private static void AssertSameFiles(TorrentInfo torrent, string seedFolder, string downloads)
    {
        foreach (var file in torrent.Files.Where(f => !f.IsPad))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(seedFolder, file.OriginalPath)), File.ReadAllBytes(Path.Combine(downloads, file.Path)));
        }
    }
}
