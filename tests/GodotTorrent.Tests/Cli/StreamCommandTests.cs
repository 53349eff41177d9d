using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using GodotTorrent.Cli;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// <c>gdtorrent stream</c> in-process against <c>gdtorrent seed</c> on 127.0.0.1: HTTP range requests
/// return the source's bytes, bad requests get 4xx, and Ctrl-C (the token) stops it with exit code 0.
/// Real sockets and files: proves the CLI end to end.
/// </summary>
public sealed class StreamCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Stream_serves_ranges_of_every_file_byte_for_byte_and_refuses_bad_requests()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "seed");
        using var seedOut = new SyncWriter();
        using var seedErr = new SyncWriter();
        using var stopSeed = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var seeding = Task.Run(() => Program.RunAsync(
            ["seed", torrentPath, "--data", _temp.Combine("seed"), "--port", "0", "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping", "--json", "--timeout", "120"],
            seedOut, seedErr, stopSeed.Token));
        using var streamOut = new SyncWriter();
        using var streamErr = new SyncWriter();
        using var stopStream = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        Task<int>? streaming = null;
        try
        {
            int port = await TransferCommandTests.ListeningPortAsync(seedOut, seeding);
            streaming = Task.Run(() => Program.RunAsync(
                ["stream", torrentPath, "--out", _temp.Combine("stream"), "--peer", $"127.0.0.1:{port}", "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping", "--json"],
                streamOut, streamErr, stopStream.Token));
            var urls = await UrlsAsync(streamOut, streaming, torrent.Files.Count);
            byte[] Source(int file) => File.ReadAllBytes(_temp.Combine("seed", torrent.Files[file].Path));

            // A url line has every field, null where it does not apply, as the CLI's other JSON lines.
            var lines = streamOut.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var first = lines.First(e => e.GetProperty("event").GetString() == "url");
            Assert.Equal(1, first.GetProperty("file").GetInt32());
            Assert.Equal(torrent.Files[0].Length, first.GetProperty("length").GetInt64());
            Assert.Equal(JsonValueKind.Null, first.GetProperty("message").ValueKind);
            Assert.Equal("application/octet-stream", first.GetProperty("content_type").GetString());

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            int IndexOf(string name) => torrent.Files.Single(f => f.Path.EndsWith(name, StringComparison.Ordinal)).Index;
            Assert.Equal(0, IndexOf("a.bin"));
            int b = IndexOf("b.bin"), c = IndexOf("c.txt");
            byte[] a = Source(0);
            await AssertRangeAsync(http, urls[0], "bytes=0-99", a, 0, 100);
            await AssertRangeAsync(http, urls[0], "bytes=100000-150000", a, 100_000, 50_001);
            await AssertRangeAsync(http, urls[0], "bytes=199990-", a, 199_990, 10);
            await AssertRangeAsync(http, urls[0], "bytes=-500", a, a.Length - 500, 500);
            await AssertRangeAsync(http, urls[b], "bytes=65000-69999", Source(b), 65_000, 5_000);

            // Whole files (multi-file), no range: 200.
            for (int file = 0; file < urls.Count; file++)
            {
                using var whole = await http.GetAsync(urls[file]);
                Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
                Assert.Equal(Source(file), await whole.Content.ReadAsByteArrayAsync());
                Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
            }

            using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, urls[c])))
            {
                Assert.Equal(HttpStatusCode.OK, head.StatusCode);
                Assert.Equal("text/plain", head.Content.Headers.ContentType?.MediaType);
                Assert.Equal(33, head.Content.Headers.ContentLength);
            }

            using (var beyond = new HttpRequestMessage(HttpMethod.Get, urls[0]))
            {
                beyond.Headers.Range = new RangeHeaderValue(200_000, null);
                using var refused = await http.SendAsync(beyond);
                Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
                Assert.Equal("bytes */200000", refused.Content.Headers.GetValues("Content-Range").Single());
            }

            var server = new Uri(urls[0]).GetLeftPart(UriPartial.Authority);
            var endPoint = IPEndPoint.Parse(new Uri(server).Authority);
            Assert.Equal(IPAddress.Loopback, endPoint.Address);
            Assert.StartsWith("HTTP/1.1 416 ", await RawAsync(endPoint, "GET /1/a.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=500-100\r\n\r\n"), StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 416 ", await RawAsync(endPoint, "GET /1 HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1,5-9\r\n\r\n"), StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 416 ", await RawAsync(endPoint, "GET /1 HTTP/1.1\r\nHost: x\r\nRange: bytes=x-y\r\n\r\n"), StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 404 ", await RawAsync(endPoint, "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 404 ", await RawAsync(endPoint, "GET /7/a.bin HTTP/1.1\r\nHost: x\r\n\r\n"), StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 405 ", await RawAsync(endPoint, "POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 400 ", await RawAsync(endPoint, "\u0001\u0002garbage\r\n\r\n"), StringComparison.Ordinal);
            Assert.StartsWith("HTTP/1.1 431 ", await RawAsync(endPoint, "GET /0 HTTP/1.1\r\nX-Big: " + new string('a', 20_000) + "\r\n\r\n"), StringComparison.Ordinal);

            // Keep-alive: two requests on one connection, both answered.
            string both = await RawAsync(endPoint, $"HEAD /{c}/c.txt HTTP/1.1\r\nHost: x\r\n\r\nHEAD /{c} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            Assert.Equal(2, both.Split("HTTP/1.1 200 OK").Length - 1);

            // Still serving after all that.
            await AssertRangeAsync(http, urls[0], "bytes=5-9", a, 5, 5);
        }
        finally
        {
            await stopStream.CancelAsync();
            if (streaming is not null)
            {
                int exit = await streaming;
                Assert.True(exit == 0, $"stream exit {exit}\n{streamOut}\n{streamErr}");
                Assert.Contains("\"event\":\"stopped\"", streamOut.ToString(), StringComparison.Ordinal);
            }

            await stopSeed.CancelAsync();
            await seeding;
        }
    }

    [Fact]
    public async Task Stream_refuses_a_file_index_the_torrent_does_not_have_and_a_bad_http_endpoint()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");
        var result = await CliRunner.RunAsync("stream", torrentPath, "--out", _temp.Combine("x"), "--file", "99", "--timeout", "30", "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--file 99: the torrent has files 1 to ", result.Error, StringComparison.Ordinal);
        var zero = await CliRunner.RunAsync("stream", torrentPath, "--out", _temp.Combine("x"), "--file", "0", "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping", "--timeout", "30");
        Assert.True(zero.ExitCode == 2, zero.ToString());

        var usage = await CliRunner.RunAsync("stream", torrentPath, "--out", _temp.Combine("x"), "--http", "nowhere");
        Assert.True(usage.ExitCode == 2, usage.ToString());
    }

    [Fact]
    public async Task Stream_of_a_magnet_stopped_before_its_metadata_says_so()
    {
        // No peer: the metadata never comes, and --timeout ends the wait as Ctrl-C would.
        var result = await CliRunner.RunAsync(
            "stream", "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=nothing", "--out", _temp.Combine("x"),
            "--timeout", "1", "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Stopped: no metadata yet (the torrent's description comes from peers), 0 peer(s)", result.ErrorLines);
    }

    private static async Task AssertRangeAsync(HttpClient http, string url, string range, byte[] source, int start, int length)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {start}-{start + length - 1}/{source.Length}", response.Content.Headers.GetValues("Content-Range").Single());
        Assert.Equal(source.AsSpan(start, length).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Sends raw bytes and reads until the server closes (or 10 s pass): for requests HttpClient will not send.</summary>
    private static async Task<string> RawAsync(IPEndPoint endPoint, string request)
    {
        using var client = new TcpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(endPoint, deadline.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), deadline.Token);
        var reply = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                reply.Write(buffer, 0, read);
                string text = Encoding.Latin1.GetString(reply.ToArray());
                if (!request.Contains("HEAD", StringComparison.Ordinal) && text.Contains("\r\n\r\n", StringComparison.Ordinal) && !text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // A reset after a refusal: what arrived is the answer.
        }

        return Encoding.Latin1.GetString(reply.ToArray());
    }

    private static async Task<List<string>> UrlsAsync(SyncWriter output, Task<int> streaming, int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var urls = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.GetProperty("event").GetString() == "url")
                .Select(e => e.GetProperty("url").GetString()!)
                .ToList();
            if (urls.Count == count)
            {
                return urls;
            }

            if (streaming.IsCompleted)
            {
                Assert.Fail($"stream ended early with exit code {await streaming}");
            }

            await Task.Delay(50, deadline.Token);
        }
    }
}
