using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GodotTorrent.Interop.Harness;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// The native gdtorrent (scripts/publish-native.sh): the demo swarm in plain TCP and in forced
/// encryption over uTP, and a torrent created with a web seed and downloaded from nginx alone.
/// Those take the engine's reflection-free paths (source-generated JSON, HttpClient, RC4, uTP)
/// through the trimmed program, where a missing type would only show at run time.
/// In the alone collection: its native compile would take the CPU from other tests for minutes.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed partial class NativeCliInteropTests(NativeCli cli, ITestOutputHelper output) : IClassFixture<NativeCli>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(150);

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task NativeCli_demo_swarm_verifies_every_file()
    {
        var run = await cli.RunAsync(["demo", "--size", "8", "--leechers", "2", "--timeout", "120"], Timeout);

        output.WriteLine(run.StandardOutput + run.StandardError);
        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains("Verified: every file of all 2 leecher(s) matches the source", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NativeCli_demo_with_forced_encryption_over_utp_verifies_every_file()
    {
        var run = await cli.RunAsync(["demo", "--size", "4", "--leechers", "2", "--encryption", "forced", "--transport", "utp", "--timeout", "120"], Timeout);

        string text = run.StandardOutput + run.StandardError;
        output.WriteLine(text);
        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains("Verified: every file of all 2 leecher(s) matches the source", text, StringComparison.Ordinal);
        var ends = ConnectionEnds().Match(text);
        Assert.True(ends.Success, text);
        int total = int.Parse(ends.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(total > 0);
        Assert.Equal(total, int.Parse(ends.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(total, int.Parse(ends.Groups[3].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NativeCli_creates_a_torrent_with_a_web_seed_and_downloads_it_from_nginx_alone()
    {
        _data.CreateFolder("www/" + WebSeedContent.Name, 1979, WebSeedContent.Layout);
        using var nginx = await NginxServer.StartAsync(new NginxOptions(_data.PathOf("www")), _data.PathOf("nginx"));
        string torrent = _data.PathOf("native.torrent");
        var create = await cli.RunAsync(["create", _data.PathOf("www/" + WebSeedContent.Name), "-o", torrent, "--web-seed", nginx.Url(), "--piece-size", "256K"], Timeout);
        Assert.True(create.ExitCode == 0, create.StandardError);

        var run = await cli.RunAsync(
            ["download", torrent, "--out", _data.PathOf("out"), "--no-dht", "--no-lsd", "--no-port-mapping", "--listen", "127.0.0.1", "--port", "0", "--json", "--timeout", "120"],
            Timeout);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.StandardError}");
        using var last = JsonDocument.Parse(run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("complete", last.RootElement.GetProperty("event").GetString());
        Assert.True(last.RootElement.GetProperty("web_seed_download").GetInt64() >= WebSeedContent.TotalSize);
        WebSeedContent.AssertSameFiles(_data.PathOf("www"), _data.PathOf("out"), ours: true);
        WebSeedRequests.AssertOnlyRealFiles(nginx.Requests());
    }

    // "Connection ends: 12 (...), 12 of them encrypted (...), 12 over uTP (...)": the counts may wrap onto a new line.
    [GeneratedRegex(@"Connection ends: (\d+) \(.*?\), (\d+) of them encrypted.*?(\d+) over uTP", RegexOptions.Singleline)]
    private static partial Regex ConnectionEnds();
}
