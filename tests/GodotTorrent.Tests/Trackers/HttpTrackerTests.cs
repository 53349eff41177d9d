using System.Net;
using System.Text;
using GodotTorrent.Trackers;

namespace GodotTorrent.Tests.Trackers;

public class HttpTrackerTests
{
    private static async Task<AnnounceResponse> AnnounceAsync(FakeHttpTracker server, AnnounceRequest? request = null, TrackerOptions? options = null)
    {
        options ??= TrackerTestData.FastOptions;
        using var factory = new TrackerClientFactory(options);
        using var client = factory.Create(new Uri(server.AnnounceUrl));
        return await client.AnnounceAsync(request ?? TrackerTestData.Request(), CancellationToken.None);
    }

    private static async Task<TrackerException> FailsAsync(FakeHttpTracker server, TrackerOptions? options = null) =>
        await Assert.ThrowsAsync<TrackerException>(() => AnnounceAsync(server, options: options));

    [Fact]
    public async Task Announce_sends_every_BEP3_parameter_with_raw_bytes_percent_encoded()
    {
        using var server = new FakeHttpTracker(_ => FakeHttpReply.Bencoded("d8:intervali1800e5:peers0:e"));
        await AnnounceAsync(server, TrackerTestData.Request(AnnounceEvent.Started, trackerId: "t id"), TrackerTestData.FastOptions with { UserAgent = "TestAgent/1.0" });
        var request = Assert.Single(server.Requests);
        Assert.Equal("/announce", request.Path);
        Assert.Equal(TrackerTestData.InfoHash, request.Bytes("info_hash"));
        Assert.Equal(TrackerTestData.PeerId, request.Bytes("peer_id"));
        Assert.Equal("6881", request.Text("port"));
        Assert.Equal("100", request.Text("uploaded"));
        Assert.Equal("200", request.Text("downloaded"));
        Assert.Equal("300", request.Text("left"));
        Assert.Equal("1", request.Text("compact"));
        Assert.Equal("1", request.Text("no_peer_id"));
        Assert.Equal("started", request.Text("event"));
        Assert.Equal("50", request.Text("numwant"));
        Assert.Equal("DEADBEEF", request.Text("key"));
        Assert.Equal("t id", request.Text("trackerid"));
        Assert.Equal("TestAgent/1.0", request.Headers["User-Agent"]);
        Assert.DoesNotContain(' ', request.RawQuery);
    }

    [Fact]
    public async Task Regular_announce_has_no_event_and_an_existing_query_is_kept()
    {
        using var server = new FakeHttpTracker(_ => FakeHttpReply.Bencoded("d8:intervali1800e5:peers0:e"));
        using var factory = new TrackerClientFactory(TrackerTestData.FastOptions);
        using var client = factory.Create(new Uri(server.AnnounceUrl + "?passkey=abc"));
        await client.AnnounceAsync(TrackerTestData.Request(AnnounceEvent.None), CancellationToken.None);
        var request = Assert.Single(server.Requests);
        Assert.Equal("abc", request.Text("passkey"));
        Assert.False(request.Has("event"));
        Assert.False(request.Has("trackerid"));
    }

    [Fact]
    public async Task Compact_peers_intervals_counts_warning_and_tracker_id_are_read()
    {
        var peers = TrackerTestData.Compact(("10.0.0.1", 6881), ("10.0.0.2", 51413), ("10.0.0.1", 6881), ("0.0.0.0", 1), ("10.0.0.3", 0));
        using var server = new FakeHttpTracker(_ => FakeHttpReply.Bencoded(
            $"d8:completei4e10:incompletei7e8:intervali900e12:min intervali60e5:peers{TrackerTestData.Bencode(peers)}10:tracker id3:xyz15:warning message9:be nice!\ne"));
        var reply = await AnnounceAsync(server);
        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.1"), 6881), new IPEndPoint(IPAddress.Parse("10.0.0.2"), 51413)], reply.Peers);
        Assert.Equal(TimeSpan.FromSeconds(900), reply.Interval);
        Assert.Equal(TimeSpan.FromSeconds(60), reply.MinInterval);
        Assert.Equal(4, reply.Complete);
        Assert.Equal(7, reply.Incomplete);
        Assert.Equal("xyz", reply.TrackerId);
        Assert.Equal("be nice!", reply.Warning);
    }

    [Fact]
    public async Task Dictionary_peers_and_ipv6_peers6_are_read()
    {
        var v6 = IPAddress.Parse("2001:db8::1").GetAddressBytes().Concat(new byte[] { 0x1A, 0xE1 }).ToArray();
        using var server = new FakeHttpTracker(_ => FakeHttpReply.Bencoded(
            "d8:intervali1800e5:peersld2:ip8:10.1.2.37:peer id20:aaaaaaaaaaaaaaaaaaaa4:porti7000eed2:ip9:fe80::1234:porti7001eed2:ip11:example.com4:porti1eee"
            + $"6:peers6{TrackerTestData.Bencode(v6)}e"));
        var reply = await AnnounceAsync(server);
        Assert.Equal(
            [new IPEndPoint(IPAddress.Parse("10.1.2.3"), 7000), new IPEndPoint(IPAddress.Parse("fe80::123"), 7001), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 6881)],
            reply.Peers);
    }

    [Fact]
    public async Task Peer_count_is_capped()
    {
        var peers = Enumerable.Range(0, 3000).SelectMany(i => new byte[] { 10, (byte)(i >> 8), (byte)i, 1, 0x1A, 0xE1 }).ToArray();
        using var server = new FakeHttpTracker(_ => FakeHttpReply.Bencoded($"d8:intervali1800e5:peers{TrackerTestData.Bencode(peers)}e"));
        var reply = await AnnounceAsync(server);
        Assert.Equal(1000, reply.Peers.Count);
    }

    [Fact]
    public async Task Failure_reason_is_a_tracker_failure_with_the_reason()
    {
        using var server = new FakeHttpTracker(_ => FakeHttpReply.Bencoded("d14:failure reason22:torrent not registerede"));
        var error = await FailsAsync(server);
        Assert.Equal(ErrorCode.TrackerFailure, error.ErrorCode);
        Assert.Equal("torrent not registered", error.Message);
    }

    [Theory]
    [InlineData("this is not bencode")]
    [InlineData("")]
    [InlineData("li1ee")]
    [InlineData("d8:intervali1800e5:peers5:abcdee")] // compact length not a multiple of 6
    [InlineData("d8:intervali1800e6:peers65:abcdee")] // peers6 not a multiple of 18
    [InlineData("d8:intervali1800e5:peersi3ee")]
    [InlineData("d8:intervali1800e5:peersli1eee")]
    public async Task Malformed_replies_are_invalid_responses(string body)
    {
        using var server = new FakeHttpTracker(_ => FakeHttpReply.Bencoded(body));
        Assert.Equal(ErrorCode.InvalidTrackerResponse, (await FailsAsync(server)).ErrorCode);
    }

    [Fact]
    public async Task Http_errors_carry_the_status()
    {
        using var server = new FakeHttpTracker(_ => new FakeHttpReply { Status = 404 });
        var error = await FailsAsync(server);
        Assert.Equal(ErrorCode.TrackerHttpError, error.ErrorCode);
        Assert.Equal(404, error.HttpStatus);
    }

    [Fact]
    public async Task Redirect_loops_fail_typed_and_a_single_redirect_is_followed()
    {
        FakeHttpTracker? server = null;
        server = new FakeHttpTracker(r => r.Path == "/loop"
            ? new FakeHttpReply { Status = 302, Headers = [$"Location: http://127.0.0.1:{server!.Port}/loop"] }
            : r.Path == "/announce" ? new FakeHttpReply { Status = 301, Headers = [$"Location: http://127.0.0.1:{server!.Port}/real"] }
            : FakeHttpReply.Bencoded("d8:intervali1800e5:peers0:e"));
        using (server)
        {
            using var factory = new TrackerClientFactory(TrackerTestData.FastOptions);
            using var loop = factory.Create(new Uri($"http://127.0.0.1:{server.Port}/loop"));
            var error = await Assert.ThrowsAsync<TrackerException>(() => loop.AnnounceAsync(TrackerTestData.Request(), CancellationToken.None));
            Assert.Equal(ErrorCode.TrackerTooManyRedirects, error.ErrorCode);
            Assert.Equal(302, error.HttpStatus);
            Assert.Equal(4, server.Requests.Count(r => r.Path == "/loop")); // the first plus MaxRedirects (3)

            var reply = await AnnounceAsync(server);
            Assert.Empty(reply.Peers);
        }
    }

    [Fact]
    public async Task Huge_bodies_fail_whether_declared_or_streamed()
    {
        var huge = new byte[3 * 1024 * 1024];
        using var declared = new FakeHttpTracker(_ => FakeHttpReply.Bytes(huge));
        Assert.Equal(ErrorCode.TrackerResponseTooLarge, (await FailsAsync(declared)).ErrorCode);
        using var streamed = new FakeHttpTracker(_ => new FakeHttpReply { Body = huge, NoContentLength = true });
        Assert.Equal(ErrorCode.TrackerResponseTooLarge, (await FailsAsync(streamed)).ErrorCode);
    }

    [Fact]
    public async Task Slow_replies_time_out()
    {
        using var server = new FakeHttpTracker(_ => new FakeHttpReply { Delay = TimeSpan.FromSeconds(5), Body = "d5:peers0:e"u8.ToArray() });
        var error = await FailsAsync(server, TrackerTestData.FastOptions with { HttpTimeout = TimeSpan.FromMilliseconds(300) });
        Assert.Equal(ErrorCode.TrackerTimeout, error.ErrorCode);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_a_timeout()
    {
        using var server = new FakeHttpTracker(_ => new FakeHttpReply { Delay = TimeSpan.FromSeconds(5) });
        using var factory = new TrackerClientFactory(TrackerTestData.FastOptions);
        using var client = factory.Create(new Uri(server.AnnounceUrl));
        using var cts = new CancellationTokenSource(200);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.AnnounceAsync(TrackerTestData.Request(), cts.Token));
    }

    [Fact]
    public async Task Nobody_listening_is_a_connect_failure()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var factory = new TrackerClientFactory(TrackerTestData.FastOptions);
        using var client = factory.Create(new Uri($"http://127.0.0.1:{port}/announce"));
        var error = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(TrackerTestData.Request(), CancellationToken.None));
        Assert.Equal(ErrorCode.TrackerConnectFailed, error.ErrorCode);
    }

    [Theory]
    [InlineData("http://t.example/announce", "http://t.example/scrape")]
    [InlineData("http://t.example/x/announce.php?passkey=1", "http://t.example/x/scrape.php?passkey=1")]
    [InlineData("http://t.example/announce?a=b", "http://t.example/scrape?a=b")]
    [InlineData("http://t.example/a", null)]
    [InlineData("http://t.example/announce/x", null)]
    [InlineData("http://t.example/x%064announce", null)]
    public void Scrape_urls_follow_BEP48(string announce, string? scrape) =>
        Assert.Equal(scrape, HttpTrackerClient.GetScrapeUri(new Uri(announce))?.ToString());

    [Fact]
    public async Task Scrape_reads_the_counts_of_this_hash()
    {
        string hash = TrackerTestData.Bencode(TrackerTestData.InfoHash);
        using var server = new FakeHttpTracker(r => r.Path == "/scrape"
            ? FakeHttpReply.Bencoded($"d5:filesd{hash}d8:completei5e10:downloadedi9e10:incompletei3eeee")
            : new FakeHttpReply { Status = 404 });
        using var factory = new TrackerClientFactory(TrackerTestData.FastOptions);
        using var client = factory.Create(new Uri(server.AnnounceUrl));
        var reply = await client.ScrapeAsync(TrackerTestData.InfoHash, CancellationToken.None);
        Assert.Equal(new ScrapeResponse(5, 3, 9), reply);
        Assert.Equal(TrackerTestData.InfoHash, Assert.Single(server.Requests).Bytes("info_hash"));
    }

    [Fact]
    public void Scrape_accepts_the_hash_key_as_node_trackers_mangle_it()
    {
        // npm bittorrent-tracker writes the binary hash as a Latin-1 string through a UTF-8 bencoder.
        byte[] key = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.Latin1.GetString(TrackerTestData.InfoHash));
        byte[] body = [.. "d5:filesd"u8, .. Encoding.ASCII.GetBytes($"{key.Length}:"), .. key, .. "d8:completei1e10:downloadedi2e10:incompletei3eeee"u8];
        Assert.Equal(new ScrapeResponse(1, 3, 2), HttpTrackerReply.ParseScrape(body, TrackerTestData.InfoHash));
    }

    [Fact]
    public async Task Scrape_without_a_scrape_url_or_entry_fails_typed()
    {
        using var server = new FakeHttpTracker(_ => FakeHttpReply.Bencoded("d5:filesdee"));
        using var factory = new TrackerClientFactory(TrackerTestData.FastOptions);
        using var noScrape = factory.Create(new Uri($"http://127.0.0.1:{server.Port}/tracker"));
        Assert.Equal(ErrorCode.ScrapeNotSupported, (await Assert.ThrowsAsync<TrackerException>(() => noScrape.ScrapeAsync(TrackerTestData.InfoHash, CancellationToken.None))).ErrorCode);
        using var client = factory.Create(new Uri(server.AnnounceUrl));
        Assert.Equal(ErrorCode.InvalidTrackerResponse, (await Assert.ThrowsAsync<TrackerException>(() => client.ScrapeAsync(TrackerTestData.InfoHash, CancellationToken.None))).ErrorCode);
    }

    [Fact]
    public void Tracker_text_is_cleaned_and_bounded()
    {
        string text = TrackerTestData_Clean("bad\u0001\nthing" + new string('x', 2000));
        Assert.StartsWith("bad  thing", text);
        Assert.Equal(TrackerText.MaxLength, text.Length);
    }

    private static string TrackerTestData_Clean(string s) => TrackerText.Clean(Encoding.UTF8.GetBytes(s));
}
