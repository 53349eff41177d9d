using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GodotTorrent.Interop.Harness;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// <c>gdtorrent stream</c> as a process against a libtorrent seed limited to 4 MB/s on 127.0.0.1: HTTP
/// range requests (start, middle, end, suffix, a second file) return the source's bytes while the
/// download runs, a range past the end gets 416, and SIGINT stops it with exit code 0.
/// </summary>
public sealed class StreamInteropTests(ITestOutputHelper output) : IDisposable
{
    private const int SeedRate = 4_000_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Stream_serves_http_ranges_of_a_libtorrent_seeds_files_byte_for_byte()
    {
        TestFile[] files = [new("movie.mp4", 24L << 20), new("subs.srt", 30_001)];
        _data.CreateFolder("seed/show", 5, files);
        string torrentPath = _data.PathOf("show.torrent");
        await Libtorrent.CreateAsync(new LtCreateOptions(_data.PathOf("seed/show"), torrentPath) { PieceSize = 256 * 1024, Version = LtVersion.V1 });
        using var seed = await LibtorrentPeer.StartSeedAsync(torrentPath, _data.PathOf("seed"), uploadLimit: SeedRate);

        using var stream = ToolProcess.Start("dotnet",
        [
            OurCli.DllPath, "stream", torrentPath, "--out", _data.PathOf("out"), "--peer", $"127.0.0.1:{seed.Port.ToString(CultureInfo.InvariantCulture)}",
            "--listen", "127.0.0.1", "--port", "0", "--no-dht", "--no-lsd", "--no-port-mapping", "--json",
        ]);
        try
        {
            var urls = new Dictionary<string, string>();
            foreach (var file in files)
            {
                string line = await stream.WaitForLineAsync(l => l.Contains("\"url\"", StringComparison.Ordinal) && l.Contains(file.Path, StringComparison.Ordinal), Bound);
                urls[file.Path] = JsonDocument.Parse(line).RootElement.GetProperty("url").GetString()!;
            }

            byte[] movie = TestData.Content(5, "movie.mp4", files[0].Size);
            byte[] subs = TestData.Content(5, "subs.srt", files[1].Size);
            using var http = new HttpClient { Timeout = Bound };

            // The middle first, while nothing is downloaded: the time to its first byte is the figure.
            var clock = Stopwatch.StartNew();
            await AssertRangeAsync(http, urls["movie.mp4"], 18L << 20, 100_000, movie);
            output.WriteLine($"first range at 18 MiB of 24 MiB from a {SeedRate / 1e6:F0} MB/s libtorrent seed: {clock.Elapsed.TotalSeconds:F2} s (in order: {18.0 * 1048576 / SeedRate:F1} s)");
            await AssertRangeAsync(http, urls["movie.mp4"], 0, 65_536, movie);
            await AssertRangeAsync(http, urls["movie.mp4"], movie.Length - 1_000, 1_000, movie);
            await AssertRangeAsync(http, urls["subs.srt"], 12_345, 10_000, subs);

            using (var suffix = new HttpRequestMessage(HttpMethod.Get, urls["movie.mp4"]))
            {
                suffix.Headers.Range = new RangeHeaderValue(null, 300_000);
                using var answer = await http.SendAsync(suffix);
                Assert.Equal(HttpStatusCode.PartialContent, answer.StatusCode);
                Assert.Equal(movie.AsSpan(movie.Length - 300_000).ToArray(), await answer.Content.ReadAsByteArrayAsync());
            }

            using (var whole = await http.GetAsync(urls["subs.srt"]))
            {
                Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
                Assert.Equal(subs, await whole.Content.ReadAsByteArrayAsync());
            }

            using (var beyond = new HttpRequestMessage(HttpMethod.Get, urls["movie.mp4"]))
            {
                beyond.Headers.Range = new RangeHeaderValue(movie.Length, null);
                using var refused = await http.SendAsync(beyond);
                Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
            }

            clock.Restart();
            using (var all = await http.GetAsync(urls["movie.mp4"]))
            {
                Assert.Equal("video/mp4", all.Content.Headers.ContentType?.MediaType);
                Assert.Equal(movie, await all.Content.ReadAsByteArrayAsync());
            }

            output.WriteLine($"the whole movie after that: {clock.Elapsed.TotalSeconds:F2} s more");
        }
        finally
        {
            stream.Signal("INT");
            var result = await stream.WaitForExitAsync(Bound);
            output.WriteLine(result.StandardError);
            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
            Assert.Contains("\"event\":\"stopped\"", result.StandardOutput, StringComparison.Ordinal);
        }
    }

    private static async Task AssertRangeAsync(HttpClient http, string url, long start, int length, byte[] source)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(start, start + length - 1);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(source.AsSpan((int)start, length).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }
}
