using System.Text.Json;
using GodotTorrent.Interop.Harness;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Web seeds (BEP 19) against nginx with our CLI: a multi-file torrent (spaces, non-ASCII and
/// reserved characters in its names, an empty file; v1, and hybrid with pad files) whose only
/// source is one nginx web seed; <c>gdtorrent create --web-seed</c> then <c>gdtorrent download</c>
/// with no peer at all; <c>--web-seed</c> and <c>--no-web-seeds</c>. libtorrent downloading the
/// same torrents from the same nginx shows the torrents and the server are right on their own.
/// Run with <c>--filter FullyQualifiedName~WebSeedInterop</c>.
/// </summary>
public sealed class WebSeedInteropTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 1512;


    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(LtVersion.V1)]
    [InlineData(LtVersion.Hybrid)]
    public async Task Libtorrent_downloads_the_torrent_from_its_nginx_web_seed_alone(LtVersion version)
    {
        using var nginx = await StartNginxAsync();
        var torrent = await CreateTorrentAsync(version, [nginx.Url()]);

        using var download = await LibtorrentPeer.StartDownloadAsync(torrent, _data.PathOf("out"));
        var result = await download.WaitForCompletionAsync(Timeout);

        output.WriteLine($"libtorrent from nginx ({version}): {result.Elapsed.TotalSeconds:0.00} s, {nginx.Requests().Count} requests");
        AssertSameFiles("out", ours: false);
        WebSeedRequests.AssertOnlyRealFiles(nginx.Requests());
    }

    [Theory]
    [InlineData(LtVersion.V1)]
    [InlineData(LtVersion.Hybrid)]
    public async Task Cli_downloads_a_multi_file_torrent_whose_only_source_is_one_nginx_web_seed(LtVersion version)
    {
        using var nginx = await StartNginxAsync();
        var torrent = await CreateTorrentAsync(version, [nginx.Url()]);

        var run = await DownloadAsync(torrent, "out");

        AssertCompleted(run);
        AssertSameFiles("out");
        var served = WebSeedRequests.AssertOnlyRealFiles(nginx.Requests());
        Assert.True(served >= WebSeedContent.TotalSize, $"nginx served {served} bytes of {WebSeedContent.TotalSize}");
        output.WriteLine($"gdtorrent from nginx ({version}): {run.Elapsed.TotalSeconds:0.00} s, {nginx.Requests().Count} requests, {served} bytes");
    }

    [Fact]
    public async Task Cli_create_with_a_web_seed_then_download_completes_with_no_peer_at_all()
    {
        // The folder is served under /patches/, and the URL lacks its trailing '/' (BEP 19: added for a multi-file torrent).
        using var nginx = await StartNginxAsync(new Dictionary<string, string> { ["/patches/"] = _data.PathOf("www") });
        var url = nginx.Url("patches");
        var torrent = _data.PathOf("ours.torrent");
        var create = await OurCli.RunAsync(["create", _data.PathOf("www/" + WebSeedContent.Name), "-o", torrent, "--web-seed", url, "--piece-size", "256K"], Timeout);
        Assert.True(create.ExitCode == 0, create.StandardError);
        var info = await Libtorrent.InfoAsync(torrent);
        Assert.Equal([url], info.WebSeeds);
        Assert.NotNull(info.InfoHashV2);
        Assert.Contains(info.Files, f => f.Pad);

        // No tracker in the torrent, no --peer, no DHT: the web seed is the only way in.
        var run = await DownloadAsync(torrent, "out");

        AssertCompleted(run);
        AssertSameFiles("out");
        WebSeedRequests.AssertOnlyRealFiles(nginx.Requests(), "/patches/");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cli_downloads_a_single_file_torrent_from_a_folder_url_or_from_the_files_own_url(bool folderUrl)
    {
        const string name = "patch 1.2 été.pak";
        var file = _data.CreateFile("www/" + name, 3_000_001, Seed);
        using var nginx = await StartNginxAsync();
        // BEP 19, single file: a URL ending in '/' gets the name appended; any other URL is the file.
        var url = folderUrl ? nginx.Url() : nginx.Url(Uri.EscapeDataString(name));
        var torrent = _data.PathOf("single.torrent");
        var create = await OurCli.RunAsync(["create", file, "-o", torrent, "--web-seed", url, "--v1"], Timeout);
        Assert.True(create.ExitCode == 0, create.StandardError);

        var run = await DownloadAsync(torrent, "out");

        AssertCompleted(run, 3_000_001);
        Assert.Equal(OurSessions.Sha256(file), OurSessions.Sha256(_data.PathOf("out/" + name)));
        Assert.All(nginx.Requests(), r => Assert.Equal(("/" + name, 206), (Uri.UnescapeDataString(r.Path), r.Status)));
    }

    [Fact]
    public async Task Cli_web_seed_option_adds_one_and_no_web_seeds_ignores_those_of_the_torrent()
    {
        using var nginx = await StartNginxAsync();
        var bare = await CreateTorrentAsync(LtVersion.V1, [], "bare.torrent");
        var listed = await CreateTorrentAsync(LtVersion.V1, [nginx.Url()], "listed.torrent");

        var ignored = await DownloadAsync(listed, "ignored", ["--no-web-seeds"], timeoutSeconds: 5);
        Assert.NotEqual(0, ignored.ExitCode);
        Assert.Empty(nginx.Requests());

        var added = await DownloadAsync(bare, "added", ["--web-seed", nginx.Url()]);
        AssertCompleted(added);
        AssertSameFiles("added");
        WebSeedRequests.AssertOnlyRealFiles(nginx.Requests());
    }

    /// <summary>Exit 0, a last JSON line whose event is "complete", and at least <paramref name="fromWebSeeds"/> payload bytes counted from web seeds.</summary>
    private static void AssertCompleted(ToolResult run, long? fromWebSeeds = null)
    {
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}; stderr: {run.StandardError}; stdout tail: {string.Join('\n', run.StandardOutput.Split('\n').TakeLast(5))}");
        var last = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        using var json = JsonDocument.Parse(last);
        Assert.Equal("complete", json.RootElement.GetProperty("event").GetString());
        Assert.True(json.RootElement.GetProperty("web_seed_download").GetInt64() >= (fromWebSeeds ?? WebSeedContent.TotalSize), last);
    }

    private void AssertSameFiles(string outFolder, bool ours = true) =>
        WebSeedContent.AssertSameFiles(_data.PathOf("www"), _data.PathOf(outFolder), ours);

    private async Task<NginxServer> StartNginxAsync(IReadOnlyDictionary<string, string>? aliases = null)
    {
        _data.CreateFolder("www/" + WebSeedContent.Name, Seed, WebSeedContent.Layout);
        return await NginxServer.StartAsync(new NginxOptions(_data.PathOf("www")) { Aliases = aliases ?? new Dictionary<string, string>() }, _data.PathOf("nginx"));
    }

    private async Task<string> CreateTorrentAsync(LtVersion version, IReadOnlyList<string> webSeeds, string file = "content.torrent")
    {
        var torrent = _data.PathOf(file);
        await Libtorrent.CreateAsync(new LtCreateOptions(_data.PathOf("www/" + WebSeedContent.Name), torrent)
        {
            PieceSize = WebSeedContent.PieceSize,
            Version = version,
            WebSeeds = webSeeds,
        });
        return torrent;
    }

    private async Task<ToolResult> DownloadAsync(string torrent, string outFolder, IEnumerable<string>? extra = null, int timeoutSeconds = 60)
    {
        var run = await OurCli.RunAsync(
            ["download", torrent, "--out", _data.PathOf(outFolder), "--no-dht", "--no-lsd", "--listen", "127.0.0.1", "--port", "0", "--json", "--timeout", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra ?? []],
            TimeSpan.FromSeconds(timeoutSeconds + 30));
        output.WriteLine($"gdtorrent download {Path.GetFileName(torrent)} {string.Join(' ', extra ?? [])}: exit {run.ExitCode} in {run.Elapsed.TotalSeconds:0.00} s");
        return run;
    }
}
