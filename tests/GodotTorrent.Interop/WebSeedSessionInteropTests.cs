using System.Globalization;
using GodotTorrent.Alerts;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Web seeds (BEP 19) against nginx with in-process sessions, where alerts, peers and the
/// injected HTTP handler are visible: a corrupting web seed beside a good one, a web seed beside a
/// libtorrent seed, HTTPS with a certificate only the test trusts (and refused without that
/// trust), the server killed mid-download and restarted, a redirect loop, and a server that
/// ignores ranges. Every wait is bounded; nginx and libtorrent are killed by PID.
/// Run with <c>--filter FullyQualifiedName~WebSeedSessionInterop</c>.
/// </summary>
public sealed class WebSeedSessionInteropTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 1513;
    private const string BigFile = "textures/hero #1 50%.png";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan AlertTimeout = TimeSpan.FromSeconds(30);

    private readonly TestData _data = TestData.Create();
    private readonly OurSessions _sessions = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _sessions.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Two_web_seeds_one_corrupting_a_file_completes_from_the_good_one_and_drops_the_bad_one()
    {
        MakeContent("good");
        MakeContent("bad");
        // Every piece of the biggest file is wrong on the bad server.
        for (long offset = 0; offset < 2_000_000; offset += 32 * 1024)
        {
            _data.Corrupt($"bad/{WebSeedContent.Name}/{BigFile}", offset, 16);
        }

        // The good one is slowed down, so the bad one delivers (and fails) pieces before the end.
        using var good = await StartNginxAsync("good", o => o with { LimitRate = 512 * 1024 });
        using var bad = await StartNginxAsync("bad");
        var torrent = await CreateTorrentAsync("good", [good.Url(), bad.Url()]);
        var session = await _sessions.StartAsync();

        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("out") });
        await _sessions.WaitAsync(session, handle, IsComplete, Timeout, "complete");

        AssertSameFiles("good", "out");
        var alerts = _sessions.Alerts(session);
        Report(alerts);
        Assert.Contains(alerts, a => a is HashFailedAlert);
        Assert.Contains(UrlSeedAlerts(alerts), a => a.Url == bad.Url() && a.Dropped && a.Error == ErrorCode.WebSeedHashFailed);
        Assert.DoesNotContain(UrlSeedAlerts(alerts), a => a.Url == good.Url());
        Assert.Contains(bad.Requests(), r => Uri.UnescapeDataString(r.Path).EndsWith(BigFile, StringComparison.Ordinal) && r.Status == 206);
    }

    [Fact]
    public async Task A_web_seed_and_a_libtorrent_seed_both_deliver_and_the_download_completes()
    {
        MakeContent("www");
        // Both sources slowed down so that neither can finish alone before the other joins in.
        using var nginx = await StartNginxAsync("www", o => o with { LimitRate = 256 * 1024 });
        var torrentPath = await CreateTorrentPathAsync("www", [nginx.Url()]);
        using var lt = await LibtorrentPeer.StartSeedAsync(torrentPath, _data.PathOf("www"), uploadLimit: 1 << 20);
        var session = await _sessions.StartAsync();

        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = TorrentInfo.Load(torrentPath), SavePath = _data.PathOf("out"), Peers = [lt.EndPoint] });
        long webSeedSeen = 0;
        long peerSeen = 0;
        await OurSessions.PollAsync(
            async () =>
            {
                foreach (var peer in await handle.GetPeersAsync())
                {
                    if (peer.ConnectionType == "web_seed")
                    {
                        webSeedSeen = Math.Max(webSeedSeen, peer.TotalDownload);
                    }
                    else if (peer.EndPoint.Equals(lt.EndPoint))
                    {
                        peerSeen = Math.Max(peerSeen, peer.TotalDownload);
                    }
                }

                return await handle.GetStatusAsync();
            },
            s => IsComplete(s) || s.State == TorrentState.Error,
            Timeout,
            s => $"{s.State} {s.PiecesDone}/{s.PieceCount}");

        AssertSameFiles("www", "out");
        var fromNginx = nginx.Requests().Where(r => r.Status == 206).Sum(r => r.BodyBytes);
        var fromLibtorrent = (await OurSessions.PollAsync(() => Task.FromResult(lt.Uploaded), n => n > 0, TimeSpan.FromSeconds(5), n => $"libtorrent uploaded {n}"));
        output.WriteLine($"nginx served {fromNginx} bytes, libtorrent uploaded {fromLibtorrent}; our peer list showed {webSeedSeen} from the web seed, {peerSeen} from libtorrent");
        Assert.True(fromNginx > 0);
        Assert.True(webSeedSeen > 0, "no web_seed entry with data in our peer list");
        Assert.True(peerSeen > 0, "no data from libtorrent in our peer list");
    }

    [Fact]
    public async Task Https_with_a_self_signed_certificate_works_only_with_the_tests_trust()
    {
        MakeContent("www");
        using var certificate = TestCertificate.Create(_data.PathOf("tls"));
        using var nginx = await StartNginxAsync("www", o => o with { Certificate = certificate });
        var torrent = await CreateTorrentAsync("www", [nginx.Url()]);
        Assert.StartsWith("https://", nginx.Url(), StringComparison.Ordinal);

        var trusting = await _sessions.StartAsync(options: new TorrentSessionOptions { HttpHandlerFactory = certificate.CreateHandler });
        var trusted = await trusting.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("trusted") });
        await _sessions.WaitAsync(trusting, trusted, IsComplete, Timeout, "complete over HTTPS");
        AssertSameFiles("www", "trusted");
        var served = nginx.Requests().Count;
        Assert.True(served > 0);
        // HTTPS offers HTTP/2 through ALPN, and the engine asks for it.
        Assert.All(nginx.Requests(), r => Assert.Equal("HTTP/2.0", r.Protocol));

        // The system's trust store does not know the certificate: refused, no request, no byte.
        var plain = await _sessions.StartAsync();
        var refused = await plain.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("refused") });
        var alert = await WaitForUrlSeedAlertAsync(plain, nginx.Url());
        var status = await refused.GetStatusAsync();
        output.WriteLine($"without the test's trust: {alert.Message}");
        Assert.Equal(0, status.PiecesDone);
        Assert.Equal(0, status.TotalPayloadDownload);
        Assert.Equal(served, nginx.Requests().Count);
        Assert.Equal((0, ErrorCode.WebSeedConnectFailed), (alert.HttpStatus, alert.Error));
        // The cause (the untrusted certificate), not only HttpClient's "see inner exception".
        Assert.Contains("certificate", alert.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Server_killed_mid_download_gives_an_alert_and_the_download_completes_once_it_is_back()
    {
        MakeContent("www");
        using var nginx = await StartNginxAsync("www", o => o with { LimitRate = 128 * 1024 });
        var torrent = await CreateTorrentAsync("www", [nginx.Url()]);
        var session = await _sessions.StartAsync();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("out") });

        var before = await _sessions.WaitAsync(session, handle, s => s.PiecesDone > 0, Timeout, "a first piece");
        nginx.Stop();
        var alert = await WaitForUrlSeedAlertAsync(session, nginx.Url());
        Assert.Equal((0, ErrorCode.WebSeedConnectFailed, false), (alert.HttpStatus, alert.Error, alert.Dropped));
        var down = await handle.GetStatusAsync();
        Assert.False(IsComplete(down), "complete before the server was stopped: slow it down further");
        var requestsBefore = nginx.Requests().Count;
        await nginx.StartAgainAsync();
        await _sessions.WaitAsync(session, handle, IsComplete, TimeSpan.FromSeconds(120), "complete after the restart");

        output.WriteLine($"stopped at {before.PiecesDone}/{before.PieceCount} pieces; {alert.Message}; {nginx.Requests().Count - requestsBefore} requests after the restart");
        AssertSameFiles("www", "out");
        Assert.True(nginx.Requests().Count > requestsBefore);
        Assert.DoesNotContain(_sessions.Alerts(session), a => a is HashFailedAlert);
    }

    [Fact]
    public async Task A_503_with_retry_after_keeps_the_web_seed_away_at_least_that_long()
    {
        const int retryAfter = 2;
        MakeContent("www");
        using var nginx = await StartNginxAsync("www", o => o with { RetryAfterSeconds = retryAfter });
        var url = nginx.Url(NginxServer.UnavailablePrefix.TrimStart('/'));
        var torrent = await CreateTorrentAsync("www", [url]);
        var session = await _sessions.StartAsync();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("out") });

        var alert = await WaitForUrlSeedAlertAsync(session, url);
        // Requests sent before the first 503 came back form one burst; the next burst must wait.
        var bursts = await OurSessions.PollAsync(
            () => Task.FromResult(Bursts(nginx.Requests())),
            b => b.Count >= 2,
            TimeSpan.FromSeconds(60),
            b => $"{b.Count} burst(s) of requests; {alert.Message}");
        output.WriteLine($"{alert.Message}; bursts at {string.Join(", ", bursts.Select(b => $"{b[0].Logged:HH:mm:ss.fff} x{b.Count}"))}");

        Assert.Equal((503, ErrorCode.WebSeedHttpError, false), (alert.HttpStatus, alert.Error, alert.Dropped));
        Assert.All(nginx.Requests(), r => Assert.Equal(503, r.Status));
        for (var i = 1; i < bursts.Count; i++)
        {
            var gap = bursts[i][0].Logged - bursts[i - 1][^1].Logged;
            Assert.True(gap >= TimeSpan.FromSeconds(retryAfter) - TimeSpan.FromMilliseconds(50), $"asked again {gap.TotalSeconds:0.000} s after a 503 with Retry-After {retryAfter}");
        }

        Assert.Equal(0, (await handle.GetStatusAsync()).TotalPayloadDownload);
    }

    [Fact]
    public async Task A_redirect_loop_ends_in_an_alert_without_hanging_or_hammering()
    {
        MakeContent("www");
        using var nginx = await StartNginxAsync("www");
        var torrent = await CreateTorrentAsync("www", [nginx.Url(NginxServer.LoopPrefix.TrimStart('/'))]);
        var session = await _sessions.StartAsync();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("out") });

        var alert = await WaitForUrlSeedAlertAsync(session, nginx.Url(NginxServer.LoopPrefix.TrimStart('/')));
        var status = await handle.GetStatusAsync();
        var loops = nginx.Requests().Count(r => r.Path.StartsWith(NginxServer.LoopPrefix, StringComparison.Ordinal));
        output.WriteLine($"{alert.Message}; {loops} requests to the loop");

        Assert.Equal((302, ErrorCode.WebSeedTooManyRedirects), (alert.HttpStatus, alert.Error));
        Assert.NotEqual(TorrentState.Error, status.State);
        Assert.Equal(0, status.TotalPayloadDownload);
        Assert.InRange(loops, 1, 50);

        // Retried after a back-off, then dropped for good: a loop is not a passing blip.
        var dropped = await WaitForUrlSeedAlertAsync(session, nginx.Url(NginxServer.LoopPrefix.TrimStart('/')), a => a.Dropped);
        loops = nginx.Requests().Count(r => r.Path.StartsWith(NginxServer.LoopPrefix, StringComparison.Ordinal));
        output.WriteLine($"dropped {(dropped.Timestamp - alert.Timestamp).TotalSeconds:0.0} s after the first alert, {loops} requests in all: {dropped.Message}");
        Assert.Equal(ErrorCode.WebSeedTooManyRedirects, dropped.Error);
        Assert.InRange(loops, 1, 50);
        await session.RemoveTorrentAsync(handle).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_server_answering_200_to_ranges_never_gets_bad_data_into_the_files()
    {
        MakeContent("www");
        using var nginx = await StartNginxAsync("www");
        var seedUrl = nginx.Url(NginxServer.NoRangesPrefix.TrimStart('/'));
        var torrentPath = await CreateTorrentPathAsync("www", [seedUrl]);
        var session = await _sessions.StartAsync();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = TorrentInfo.Load(torrentPath), SavePath = _data.PathOf("out") });

        // A 200 to a partial range drops the web seed at once (a 200 to a whole file is good data).
        var alert = await WaitForUrlSeedAlertAsync(session, seedUrl, a => a.Dropped);
        await handle.PauseAsync();
        var status = await handle.GetStatusAsync();
        var recheck = await Libtorrent.RecheckAsync(torrentPath, _data.PathOf("out"));
        output.WriteLine($"{alert.Message}; {status.PiecesDone}/{status.PieceCount} pieces; libtorrent's recheck {recheck.Pieces}");

        // Whatever we hold is right (libtorrent agrees), and nothing that failed was written as good.
        for (var piece = 0; piece < status.PieceCount; piece++)
        {
            Assert.True(!status.Pieces[piece] || recheck.Pieces[piece] == '1', $"piece {piece} is ours but libtorrent's recheck fails it");
        }

        Assert.Equal((200, ErrorCode.WebSeedRangesNotSupported), (alert.HttpStatus, alert.Error));
        Assert.DoesNotContain(_sessions.Alerts(session), a => a is HashFailedAlert);
        Assert.Contains(nginx.Requests(), r => r.Status == 200 && r.Range.Length > 0);
    }

    /// <summary>
    /// README "Shipping a patch": the torrent made by its <c>gdtorrent create</c> command (the CDN
    /// replaced by nginx serving the folder under /patches/), downloaded by its C# snippet, here
    /// listening on 127.0.0.1 only.
    /// </summary>
    [Fact]
    public async Task The_readme_shipping_a_patch_snippet_downloads_from_the_cdn_web_seed()
    {
        MakeContent("cdn");
        using var nginx = await StartNginxAsync("cdn", o => o with { Aliases = new Dictionary<string, string> { ["/patches/"] = _data.PathOf("cdn") } });
        var torrentPath = _data.PathOf("patch-1.2.torrent");
        var create = await OurCli.RunAsync(["create", _data.PathOf("cdn/" + WebSeedContent.Name), "-o", torrentPath, "--web-seed", nginx.Url("patches/")], Timeout);
        Assert.True(create.ExitCode == 0, create.StandardError);
        var savePath = _data.PathOf("patches");
        List<UrlSeedAlert> webSeedAlerts = [];

        // From the README, with the paths and a loopback listen address.
        await using var session = new TorrentSession(new SessionSettings { ListenPort = 0, ListenAddresses = [System.Net.IPAddress.Loopback] });
        session.Alerts.AlertPosted += (_, e) =>
        {
            if (e.Alert is UrlSeedAlert web)
            {
                webSeedAlerts.Add(web);
            }
        };
        await session.StartAsync();
        var handle = await session.AddTorrentAsync(AddTorrentParams.FromFile(torrentPath, savePath));
        using var timeout = new CancellationTokenSource(Timeout);
        var status = await handle.WaitForStateAsync(TorrentState.Seeding, timeout.Token);

        Assert.Equal(WebSeedContent.TotalSize, status.TotalWantedDone);
        Assert.Empty(webSeedAlerts);
        AssertSameFiles("cdn", "patches");
        WebSeedRequests.AssertOnlyRealFiles(nginx.Requests(), "/patches/");
    }

    private static bool IsComplete(TorrentStatus s) => s.IsFinished && s.State is TorrentState.Seeding or TorrentState.Finished;

    /// <summary>Requests grouped by time: a gap of half a second or more starts a new burst.</summary>
    private static List<List<NginxRequest>> Bursts(IReadOnlyList<NginxRequest> requests)
    {
        List<List<NginxRequest>> bursts = [];
        foreach (var request in requests.OrderBy(r => r.Logged))
        {
            if (bursts.Count == 0 || request.Logged - bursts[^1][^1].Logged >= TimeSpan.FromMilliseconds(500))
            {
                bursts.Add([]);
            }

            bursts[^1].Add(request);
        }

        return bursts;
    }

    private static IEnumerable<UrlSeedAlert> UrlSeedAlerts(IEnumerable<Alert> alerts) => alerts.OfType<UrlSeedAlert>();

    /// <summary>The first <see cref="UrlSeedAlert"/> for <paramref name="url"/> that matches <paramref name="match"/> (any, by default); bounded.</summary>
    private async Task<UrlSeedAlert> WaitForUrlSeedAlertAsync(TorrentSession session, string url, Func<UrlSeedAlert, bool>? match = null) =>
        (await OurSessions.PollAsync(
            () => Task.FromResult(UrlSeedAlerts(_sessions.Alerts(session)).FirstOrDefault(a => a.Url == url && (match?.Invoke(a) ?? true))),
            a => a is not null,
            AlertTimeout,
            _ => $"no matching url_seed alert for {url}; alerts: {string.Join("; ", _sessions.Alerts(session).TakeLast(10))}"))!;

    private void Report(IReadOnlyList<Alert> alerts)
    {
        foreach (var alert in UrlSeedAlerts(alerts))
        {
            output.WriteLine(alert.Message);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{alerts.Count(a => a is HashFailedAlert)} pieces failed the hash check"));
    }

    private void MakeContent(string folder) => _data.CreateFolder(folder + "/" + WebSeedContent.Name, Seed, WebSeedContent.Layout);

    private void AssertSameFiles(string expected, string actual) =>
        WebSeedContent.AssertSameFiles(_data.PathOf(expected), _data.PathOf(actual), ours: true);

    private Task<NginxServer> StartNginxAsync(string root, Func<NginxOptions, NginxOptions>? configure = null)
    {
        var options = new NginxOptions(_data.PathOf(root));
        return NginxServer.StartAsync(configure?.Invoke(options) ?? options, _data.PathOf("nginx-" + root));
    }

    private async Task<string> CreateTorrentPathAsync(string root, IReadOnlyList<string> webSeeds)
    {
        var torrent = _data.PathOf(root + ".torrent");
        await Libtorrent.CreateAsync(new LtCreateOptions(_data.PathOf(root + "/" + WebSeedContent.Name), torrent)
        {
            PieceSize = WebSeedContent.PieceSize,
            Version = LtVersion.V1,
            WebSeeds = webSeeds,
        });
        return torrent;
    }

    private async Task<TorrentInfo> CreateTorrentAsync(string root, IReadOnlyList<string> webSeeds) =>
        TorrentInfo.Load(await CreateTorrentPathAsync(root, webSeeds));
}
