using System.Buffers.Binary;
using System.Collections.Concurrent;
using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Trackers;
using GodotTorrent.Trackers;

namespace GodotTorrent.Tests.Session;

/// <summary>
/// Broken trackers seen by a whole session: the torrent's only tracker is a small HTTP or UDP
/// server in the test that answers badly. The torrent gets tracker_error alerts with the right
/// code and a growing times_in_a_row, GetTrackersAsync shows the error, and the torrent still
/// downloads from a peer given directly. Also: no tracker is ever added that the app did not give.
/// </summary>
public class BadTrackerSessionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // Short time-outs and back-off so a few failures in a row happen within seconds. The HTTP
    // time-out leaves room for a loaded CI machine (0.5 s once let a 1 MiB streamed reply time out
    // before its size was refused); the slow tracker's delay is well past it.
    private static readonly TorrentSessionOptions FastTrackers = new()
    {
        TrackerOptions = new TrackerOptions
        {
            HttpTimeout = TimeSpan.FromSeconds(2),
            MaxResponseBytes = 64 * 1024,
            UdpRetryBase = TimeSpan.FromMilliseconds(100),
            UdpMaxRetries = 1,
            FailureRetryBase = TimeSpan.FromMilliseconds(100),
            FailureRetryMax = TimeSpan.FromMilliseconds(500),
        },
    };

    public static TheoryData<string, ErrorCode> HttpCases => new()
    {
        { "garbage", ErrorCode.InvalidTrackerResponse },
        { "huge", ErrorCode.TrackerResponseTooLarge },
        { "huge-streamed", ErrorCode.TrackerResponseTooLarge },
        { "compact7", ErrorCode.InvalidTrackerResponse },
        { "redirect-loop", ErrorCode.TrackerTooManyRedirects },
        { "slow", ErrorCode.TrackerTimeout },
        { "http500", ErrorCode.TrackerHttpError },
    };

    public static TheoryData<string, ErrorCode> UdpCases => new()
    {
        { "garbage", ErrorCode.TrackerTimeout }, // datagrams that are no reply to our request are ignored
        { "compact7", ErrorCode.InvalidTrackerResponse },
        { "silent", ErrorCode.TrackerTimeout },
        { "error", ErrorCode.TrackerFailure },
    };

    [Theory]
    [MemberData(nameof(HttpCases))]
    public async Task A_bad_http_tracker_reports_errors_and_the_torrent_still_downloads(string kind, ErrorCode expected)
    {
        FakeHttpTracker? server = null;
        server = new FakeHttpTracker(request => kind switch
        {
            "garbage" => FakeHttpReply.Bencoded("<html>not bencode</html>"),
            "huge" => FakeHttpReply.Bytes(new byte[1 << 20]),
            "huge-streamed" => new FakeHttpReply { Body = new byte[1 << 20], NoContentLength = true },
            "compact7" => FakeHttpReply.Bencoded("d8:intervali1800e5:peers7:abcdefge"),
            "redirect-loop" => new FakeHttpReply { Status = 302, Headers = [$"Location: http://127.0.0.1:{server!.Port}/announce"] },
            "slow" => new FakeHttpReply { Delay = TimeSpan.FromSeconds(8), Body = "d8:intervali1800e5:peers0:e"u8.ToArray() },
            _ => new FakeHttpReply { Status = 500 },
        });
        using (server)
        {
            var trackers = await RunAsync(server.AnnounceUrl, expected);
            Assert.Equal(kind == "redirect-loop" ? 302 : kind == "http500" ? 500 : 0, trackers.LastHttpStatus);
            Assert.NotEmpty(server.Requests);
        }
    }

    [Theory]
    [MemberData(nameof(UdpCases))]
    public async Task A_bad_udp_tracker_reports_errors_and_the_torrent_still_downloads(string kind, ErrorCode expected)
    {
        using var server = new FakeUdpTracker(packet =>
        {
            int action = BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(8));
            int tid = BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(12));
            return kind switch
            {
                "garbage" => [[1, 2, 3], new byte[4096], FakeUdpTracker.ConnectReply(tid + 1, 7)],
                "silent" => [],
                "compact7" when action == 0 => [FakeUdpTracker.ConnectReply(tid, 42)],
                "compact7" => [FakeUdpTracker.AnnounceReply(tid, 1800, 0, 0, new byte[7])],
                _ when action == 0 => [FakeUdpTracker.ConnectReply(tid, 42)],
                _ => [FakeUdpTracker.ErrorReply(tid, "go away")],
            };
        });
        var trackers = await RunAsync(server.AnnounceUrl, expected);
        if (kind == "error")
        {
            Assert.Equal("go away", trackers.LastErrorMessage);
        }

        Assert.NotEmpty(server.Received);
    }

    [Fact]
    public async Task A_magnet_without_tr_and_a_torrent_without_announce_have_no_trackers_and_announce_nowhere()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrent = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 200_000)]);
        Assert.Empty(torrent.Trackers);
        var seeder = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All });
        var seedHandle = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder });

        var magnet = MagnetLink.Create(torrent.InfoHashes, "pack", peers: [SwarmFixture.EndPointOf(seeder)]);
        Assert.DoesNotContain("tr=", magnet.ToUri(), StringComparison.Ordinal);
        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All });
        var handle = await leecher.AddTorrentAsync(new AddTorrentParams { Magnet = magnet, SavePath = swarm.Folder("out") });
        Assert.Empty(await handle.GetTrackersAsync());

        using var cts = new CancellationTokenSource(Deadline);
        await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        await seedHandle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        await handle.ForceReannounceAsync(cts.Token);
        await seedHandle.ForceReannounceAsync(cts.Token);
        Assert.Empty(await handle.ScrapeAsync(cts.Token));

        // Neither the magnet (once its metadata came) nor the torrent got a tracker from anywhere.
        Assert.Empty(await handle.GetTrackersAsync(cts.Token));
        Assert.Empty(await seedHandle.GetTrackersAsync(cts.Token));
        Assert.Empty(handle.TorrentInfo!.Trackers);
        foreach (var session in new[] { seeder, leecher })
        {
            Assert.DoesNotContain(session.PopAlerts(), a => a is TrackerAnnounceAlert or TrackerReplyAlert or TrackerErrorAlert or ScrapeReplyAlert or ScrapeFailedAlert);
        }

        // Every tracker contact needs a client: none was ever made.
        Assert.Equal(0, seeder.TrackerClients.CreatedCount);
        Assert.Equal(0, leecher.TrackerClients.CreatedCount);
    }

    /// <summary>Seed without trackers; downloader whose torrent names only <paramref name="url"/> and gets the seed as a direct peer.</summary>
    private static async Task<TrackerStatus> RunAsync(string url, ErrorCode expected)
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var plain = await swarm.CreateContentAsync(seedFolder, "pack", [("a.bin", 400_000), ("b.bin", 123_456)]);
        var seeder = await swarm.StartSessionAsync();
        await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = plain, SavePath = seedFolder });
        var withTracker = await TorrentCreator.CreateAsync(
            Path.Combine(seedFolder, "pack"), new TorrentCreatorOptions { PieceLength = 32768, Version = TorrentVersion.V1, Trackers = [[url]] });
        Assert.Equal(plain.InfoHashes, withTracker.InfoHashes); // announce is outside the info dictionary

        var leecher = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { AlertMask = AlertCategory.All }, FastTrackers);
        var downloadFolder = swarm.Folder("download");
        var handle = await leecher.AddTorrentAsync(new AddTorrentParams { Torrent = withTracker, SavePath = downloadFolder, Peers = [SwarmFixture.EndPointOf(seeder)] });

        using var cts = new CancellationTokenSource(Deadline);
        var seen = new List<Alert>();
        await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        SwarmFixture.AssertSameFiles(seedFolder, downloadFolder, plain);

        // At least three failures in a row, each reported with its count and the right code.
        await SwarmFixture.WaitForAlertAsync<TrackerErrorAlert>(leecher, seen, a => a.TimesInARow >= 3, cts.Token);
        var errors = seen.OfType<TrackerErrorAlert>().ToList();
        Assert.All(errors, e => Assert.Equal(url, e.Url));
        Assert.All(errors, e => Assert.Equal(expected, e.Error));
        Assert.Equal(Enumerable.Range(1, errors.Count), errors.Select(e => e.TimesInARow));
        Assert.DoesNotContain(seen, a => a is TrackerReplyAlert);
        Assert.Contains(seen, a => a is TrackerAnnounceAlert { Event: AnnounceEvent.Started });

        var status = Assert.Single(await handle.GetTrackersAsync(cts.Token));
        Assert.Equal(url, status.Url);
        Assert.False(status.IsWorking);
        Assert.True(status.IsEnabled);
        Assert.Equal(expected, status.LastError);
        Assert.False(string.IsNullOrEmpty(status.LastErrorMessage));
        Assert.True(status.FailuresInARow >= 3, $"{status.FailuresInARow} failures");
        Assert.NotNull(status.LastAnnounce);
        Assert.Equal((-1, -1), (status.Seeds, status.Peers));

        // The session keeps working: the seed still answers and the downloader's status is sane.
        Assert.Equal(TorrentState.Seeding, (await handle.GetStatusAsync(cts.Token)).State);
        return status;
    }
}
