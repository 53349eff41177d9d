using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using GodotTorrent.Interop.Harness;

namespace GodotTorrent.Interop;

/// <summary>
/// The nginx harness (Harness/NginxServer) does what the web-seed tests rely on, shown with a
/// plain HttpClient: ranges answered 206 with Content-Range, the fixed 503, redirect-loop and
/// ranges-ignored locations, aliases, HTTPS trusted only through the test's own handler, and a
/// stop and restart on the same port. Run with <c>--filter FullyQualifiedName~NginxHarness</c>.
/// </summary>
public sealed class NginxHarnessTests : IDisposable
{
    private const long Size = 300_000;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_range_is_answered_206_with_its_content_range_and_logged()
    {
        var file = _data.CreateFile("www/name with space/dät.bin", Size, seed: 1);
        using var nginx = await StartAsync();
        using var http = new HttpClient { Timeout = RequestTimeout };

        using var request = new HttpRequestMessage(HttpMethod.Get, nginx.Url("name%20with%20space/d%C3%A4t.bin"));
        request.Headers.Range = new RangeHeaderValue(1000, 20_999);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 1000-20999/{Size}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(File.ReadAllBytes(file).AsSpan(1000, 20_000).ToArray(), body);
        var logged = Assert.Single(nginx.Requests());
        Assert.Equal(("GET", "/name%20with%20space/d%C3%A4t.bin", 206, "bytes=1000-20999", 20_000L, $"bytes 1000-20999/{Size}", "HTTP/1.1"), (logged.Method, logged.Uri, logged.Status, logged.Range, logged.BodyBytes, logged.ContentRange, logged.Protocol));
    }

    [Fact]
    public async Task Keep_alive_shows_as_several_requests_on_one_connection()
    {
        _data.CreateFile("www/a.bin", Size, seed: 2);
        using var nginx = await StartAsync();
        using var http = new HttpClient { Timeout = RequestTimeout };

        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, nginx.Url("a.bin"));
            request.Headers.Range = new RangeHeaderValue(i * 100, (i * 100) + 99);
            using var response = await http.SendAsync(request);
            Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync()).Length);
        }

        var requests = nginx.Requests();
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(r => r.Connection).Distinct());
        Assert.Equal([1, 2, 3], requests.Select(r => r.RequestOnConnection));
    }

    [Fact]
    public async Task The_no_ranges_location_answers_200_with_the_whole_file()
    {
        var file = _data.CreateFile("www/a.bin", Size, seed: 3);
        using var nginx = await StartAsync();
        using var http = new HttpClient { Timeout = RequestTimeout };

        using var request = new HttpRequestMessage(HttpMethod.Get, nginx.Url("no-ranges/a.bin"));
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentRange);
        Assert.Equal(File.ReadAllBytes(file), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_unavailable_location_answers_503_with_retry_after()
    {
        _data.CreateFile("www/a.bin", Size, seed: 4);
        using var nginx = await StartAsync(o => o with { RetryAfterSeconds = 7 });
        using var http = new HttpClient { Timeout = RequestTimeout };

        using var response = await http.GetAsync(nginx.Url("unavailable/a.bin"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task The_loop_location_redirects_to_itself_forever()
    {
        _data.CreateFile("www/a.bin", Size, seed: 5);
        using var nginx = await StartAsync();
        using var manual = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = RequestTimeout };
        using var following = new HttpClient(new SocketsHttpHandler { MaxAutomaticRedirections = 5 }) { Timeout = RequestTimeout };

        using var once = await manual.GetAsync(nginx.Url("loop/a.bin"));
        using var given = await following.GetAsync(nginx.Url("loop/a.bin"));

        Assert.Equal(HttpStatusCode.Found, once.StatusCode);
        Assert.Equal(nginx.Url("loop/a.bin"), once.Headers.Location?.AbsoluteUri);
        // .NET hands back the last redirect when its limit is reached: 1 + 5 requests, all 302.
        Assert.Equal(HttpStatusCode.Found, given.StatusCode);
        Assert.Equal(7, nginx.Requests().Count(r => r.Path == "/loop/a.bin" && r.Status == 302));
    }

    [Fact]
    public async Task An_alias_serves_another_folder_under_its_prefix()
    {
        _data.CreateFile("www/a.bin", Size, seed: 6);
        var other = _data.CreateFile("other/a.bin", Size, seed: 7);
        using var nginx = await StartAsync(o => o with { Aliases = new Dictionary<string, string> { ["/bad/"] = _data.PathOf("other") } });
        using var http = new HttpClient { Timeout = RequestTimeout };

        Assert.Equal(File.ReadAllBytes(other), await http.GetByteArrayAsync(nginx.Url("bad/a.bin")));
        Assert.NotEqual(File.ReadAllBytes(other), await http.GetByteArrayAsync(nginx.Url("a.bin")));
    }

    [Fact]
    public async Task Https_is_trusted_through_the_test_handler_only()
    {
        var file = _data.CreateFile("www/a.bin", Size, seed: 8);
        using var certificate = TestCertificate.Create(_data.PathOf("tls"));
        using var other = TestCertificate.Create(_data.PathOf("tls-other"));
        using var nginx = await StartAsync(o => o with { Certificate = certificate });
        using var trusting = new HttpClient(certificate.CreateHandler()) { Timeout = RequestTimeout };
        using var system = new HttpClient { Timeout = RequestTimeout };
        using var trustingAnother = new HttpClient(other.CreateHandler()) { Timeout = RequestTimeout };

        using var request = new HttpRequestMessage(HttpMethod.Get, nginx.Url("a.bin")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Range = new RangeHeaderValue(0, 999);
        using var response = await trusting.SendAsync(request);

        Assert.StartsWith("https://127.0.0.1:", nginx.Url());
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(File.ReadAllBytes(file).AsSpan(0, 1000).ToArray(), await response.Content.ReadAsByteArrayAsync());
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => system.GetAsync(nginx.Url("a.bin")));
        Assert.IsType<AuthenticationException>(refused.InnerException);
        var refusedToo = await Assert.ThrowsAsync<HttpRequestException>(() => trustingAnother.GetAsync(nginx.Url("a.bin")));
        Assert.IsType<AuthenticationException>(refusedToo.InnerException);
        // Only the trusted request reached HTTP; the refused ones ended in the TLS handshake.
        Assert.Equal("HTTP/2.0", Assert.Single(nginx.Requests()).Protocol);
    }

    [Fact]
    public async Task Stopped_it_refuses_connections_and_restarted_it_serves_on_the_same_port()
    {
        var file = _data.CreateFile("www/a.bin", Size, seed: 9);
        using var nginx = await StartAsync();
        var port = nginx.Port;
        var pid = nginx.Process!.Id;

        nginx.Stop();
        using (var http = new HttpClient { Timeout = RequestTimeout })
        {
            var down = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(nginx.Url("a.bin")));
            Assert.Equal(HttpRequestError.ConnectionError, down.HttpRequestError);
        }

        Assert.False(await ListeningSockets.IsListeningAsync(port));
        await nginx.StartAgainAsync();
        using (var http = new HttpClient { Timeout = RequestTimeout })
        {
            Assert.Equal(File.ReadAllBytes(file), await http.GetByteArrayAsync(nginx.Url("a.bin")));
        }

        Assert.Equal(port, nginx.Port);
        Assert.NotEqual(pid, nginx.Process!.Id);
    }

    private Task<NginxServer> StartAsync(Func<NginxOptions, NginxOptions>? configure = null)
    {
        var options = new NginxOptions(_data.PathOf("www"));
        return NginxServer.StartAsync(configure?.Invoke(options) ?? options, _data.PathOf("nginx"));
    }
}
