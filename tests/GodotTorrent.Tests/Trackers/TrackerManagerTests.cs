using System.Net;
using GodotTorrent.Trackers;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Trackers;

public class TrackerManagerTests
{
    private static readonly TransferStats Stats = new(0, 0, 1000);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedTrackers _trackers = new();

    private TrackerManager Manager(string[][] tiers, TrackerOptions? options = null, int seed = 1) =>
        new(tiers, TrackerTestData.Hashes, TrackerTestData.PeerId, () => 6881, _trackers, options ?? new TrackerOptions(), _time, new Random(seed));

    private static string[][] Tiers(params string[][] tiers) => tiers;

    [Fact]
    public async Task First_tier_that_answers_wins_and_events_come_back_as_data()
    {
        _trackers.Default = _ => new AnnounceResponse { Peers = [new IPEndPoint(IPAddress.Parse("10.0.0.9"), 1)] };
        using var manager = Manager(Tiers(["http://a/announce"], ["http://b/announce"]));
        var outcome = await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        Assert.Equal(["http://a/announce"], _trackers.Urls);
        Assert.Single(outcome.Peers);
        Assert.Equal([TrackerEventKind.Announce, TrackerEventKind.Reply], outcome.Events.Select(e => e.Kind));
        Assert.Equal(AnnounceEvent.Started, outcome.Events[0].Event);
        Assert.True(outcome.AnyReply);
    }

    [Fact]
    public async Task Failing_trackers_fall_through_to_the_next_and_the_answering_one_is_promoted()
    {
        using var manager = Manager(Tiers(["http://a/announce", "http://b/announce", "http://c/announce"]));
        var order = manager.GetStatus().Select(s => s.Url).ToArray();
        _trackers.Fail(order[0]);
        _trackers.Fail(order[1]);
        var outcome = await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        Assert.Equal(order, _trackers.Urls);
        Assert.Equal(order[2], manager.GetStatus()[0].Url); // BEP 12: moved to the front
        var error = outcome.Events.First(e => e.Kind == TrackerEventKind.Error);
        Assert.Equal(1, error.TimesInARow);
        Assert.Equal(ErrorCode.TrackerConnectFailed, error.Error);
        Assert.Equal(ErrorCode.TrackerConnectFailed, manager.GetStatus().First(s => s.Url == order[0]).LastError);
    }

    [Fact]
    public async Task A_tier_that_fails_entirely_falls_back_to_the_next_tier()
    {
        _trackers.Fail("http://a/announce");
        using var manager = Manager(Tiers(["http://a/announce"], ["udp://b:1/announce"]));
        await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        Assert.Equal(["http://a/announce", "udp://b:1/announce"], _trackers.Urls);
    }

    [Fact]
    public void Tiers_are_shuffled_by_the_seeded_random_and_keep_their_tier()
    {
        string[] urls = [.. Enumerable.Range(0, 8).Select(i => $"http://t{i}/announce")];
        using var a = Manager(Tiers(urls, ["http://z/announce"]), seed: 7);
        using var b = Manager(Tiers(urls, ["http://z/announce"]), seed: 7);
        var order = a.GetStatus().Select(s => s.Url).ToArray();
        Assert.Equal(order, b.GetStatus().Select(s => s.Url));
        Assert.NotEqual(urls, order[..8]);
        Assert.Equal(urls.Order(), order[..8].Order());
        Assert.Equal("http://z/announce", order[8]);
        Assert.Equal(1, a.GetStatus()[8].Tier);
    }

    [Fact]
    public async Task Announce_to_all_tiers_and_trackers_reaches_everyone()
    {
        using var manager = Manager(
            Tiers(["http://a/announce", "http://b/announce"], ["http://c/announce"]),
            new TrackerOptions { AnnounceToAllTiers = true, AnnounceToAllTrackers = true });
        await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        Assert.Equal(["http://a/announce", "http://b/announce", "http://c/announce"], _trackers.Urls.Order());
    }

    [Fact]
    public async Task Intervals_are_honoured_and_clamped()
    {
        _trackers.Default = _ => new AnnounceResponse { Interval = TimeSpan.FromSeconds(5) }; // below the 30 s floor
        using var manager = Manager(Tiers(["http://a/announce"]));
        Assert.True(manager.IsAnnounceDue(_time.GetUtcNow()));
        await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        Assert.False(manager.IsAnnounceDue(_time.GetUtcNow()));
        Assert.Equal(TimeSpan.FromSeconds(30), manager.GetStatus()[0].Interval);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(manager.IsAnnounceDue(_time.GetUtcNow()));
        Assert.Empty((await manager.AnnounceAsync(AnnounceEvent.None, Stats)).Events); // not due: nothing sent
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(manager.IsAnnounceDue(_time.GetUtcNow()));

        _trackers.Default = _ => new AnnounceResponse { Interval = TimeSpan.FromDays(30) };
        await manager.AnnounceAsync(AnnounceEvent.None, Stats);
        Assert.Equal(TimeSpan.FromHours(6), manager.GetStatus()[0].Interval);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(6), manager.NextAnnounceTime());
    }

    [Fact]
    public async Task Failures_back_off_exponentially_up_to_the_maximum()
    {
        _trackers.Fail("http://a/announce", ErrorCode.TrackerTimeout);
        using var manager = Manager(Tiers(["http://a/announce"]), new TrackerOptions { FailureRetryBase = TimeSpan.FromSeconds(10), FailureRetryMax = TimeSpan.FromSeconds(50) });
        var waits = new List<TimeSpan>();
        for (int i = 0; i < 5; i++)
        {
            var start = _time.GetUtcNow();
            await manager.AnnounceAsync(AnnounceEvent.None, Stats);
            var status = manager.GetStatus()[0];
            Assert.Equal(i + 1, status.FailuresInARow);
            Assert.False(status.IsWorking);
            waits.Add(status.NextAnnounce!.Value - start);
            Assert.False(manager.IsAnnounceDue(_time.GetUtcNow()));
            _time.Advance(waits[^1]);
            Assert.True(manager.IsAnnounceDue(_time.GetUtcNow()));
        }

        Assert.Equal([10, 20, 40, 50, 50], waits.Select(w => (int)w.TotalSeconds));
        _trackers.Script("http://a/announce", _ => new AnnounceResponse());
        await manager.AnnounceAsync(AnnounceEvent.None, Stats);
        Assert.Equal(0, manager.GetStatus()[0].FailuresInARow);
        Assert.Equal(ErrorCode.None, manager.GetStatus()[0].LastError);
    }

    [Fact]
    public async Task Event_sequence_started_regular_completed_stopped_and_tracker_id_echo()
    {
        _trackers.Default = _ => new AnnounceResponse { TrackerId = "tid-1", Interval = TimeSpan.FromMinutes(1) };
        using var manager = Manager(Tiers(["http://a/announce"]));
        await manager.AnnounceAsync(AnnounceEvent.None, Stats); // never started: becomes "started"
        _time.Advance(TimeSpan.FromMinutes(1));
        await manager.AnnounceAsync(AnnounceEvent.None, Stats);
        await manager.AnnounceAsync(AnnounceEvent.Completed, Stats with { Left = 0 });
        var stop = await manager.StopAsync(Stats with { Left = 0 }, TimeSpan.FromSeconds(5));
        var requests = _trackers.Announces.Select(a => a.Request).ToArray();
        Assert.Equal([AnnounceEvent.Started, AnnounceEvent.None, AnnounceEvent.Completed, AnnounceEvent.Stopped], requests.Select(r => r.Event));
        Assert.Equal([null, "tid-1", "tid-1", "tid-1"], requests.Select(r => r.TrackerId));
        Assert.Equal(0, requests[3].NumWant);
        Assert.True(stop.AnyReply);
        Assert.All(requests, r => Assert.Equal(requests[0].Key, r.Key));

        // After a stop the next announce starts again.
        await manager.AnnounceAsync(AnnounceEvent.None, Stats);
        Assert.Equal(AnnounceEvent.Started, _trackers.Announces.Last().Request.Event);
    }

    [Fact]
    public async Task Stop_only_tells_trackers_that_were_started_and_gives_up_at_the_deadline()
    {
        var hang = new TaskCompletionSource();
        _trackers.Fail("http://b/announce");
        using var manager = Manager(Tiers(["http://a/announce"], ["http://b/announce"]), new TrackerOptions { AnnounceToAllTiers = true });
        await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        int before = _trackers.Announces.Count;
        var outcome = await manager.StopAsync(Stats, TimeSpan.FromSeconds(1));
        Assert.Equal(["http://a/announce"], _trackers.Announces.Skip(before).Select(a => a.Url));
        Assert.Equal(AnnounceEvent.Stopped, outcome.Events[0].Event);
    }

    [Fact]
    public async Task Stop_with_a_hanging_tracker_returns_at_the_deadline()
    {
        using var server = new FakeHttpTracker(r => r.Text("event") == "stopped"
            ? new FakeHttpReply { Delay = TimeSpan.FromSeconds(20) }
            : FakeHttpReply.Bencoded("d8:intervali1800e5:peers0:e"));
        using var factory = new TrackerClientFactory(TrackerTestData.FastOptions);
        using var manager = new TrackerManager([[server.AnnounceUrl]], TrackerTestData.Hashes, TrackerTestData.PeerId, () => 1, factory);
        Assert.True((await manager.AnnounceAsync(AnnounceEvent.Started, Stats)).AnyReply);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await manager.StopAsync(Stats, TimeSpan.FromMilliseconds(300));
        Assert.InRange(clock.ElapsedMilliseconds, 200, 4000);
    }

    [Fact]
    public async Task Force_reannounce_honours_min_interval_unless_told_not_to()
    {
        _trackers.Default = _ => new AnnounceResponse { Interval = TimeSpan.FromMinutes(30), MinInterval = TimeSpan.FromMinutes(5) };
        using var manager = Manager(Tiers(["http://a/announce"]));
        await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        manager.ForceReannounce();
        Assert.False(manager.IsAnnounceDue(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(manager.IsAnnounceDue(_time.GetUtcNow()));
        await manager.AnnounceAsync(AnnounceEvent.None, Stats);
        manager.ForceReannounce(ignoreMinInterval: true);
        Assert.True(manager.IsAnnounceDue(_time.GetUtcNow()));
    }

    [Fact]
    public async Task Add_remove_and_replace_trackers_at_run_time()
    {
        using var manager = Manager(Tiers(["http://a/announce"]));
        Assert.True(manager.AddTracker("udp://b:80/announce", 0));
        Assert.False(manager.AddTracker("udp://b:80/announce", 3));
        Assert.True(manager.AddTracker("http://c/announce", 5)); // lands in the next free tier
        Assert.Equal([0, 0, 1], manager.GetStatus().Select(s => s.Tier));
        Assert.Equal(ErrorCode.UnsupportedTrackerUrl, Assert.Throws<TrackerException>(() => manager.AddTracker("ftp://x/announce", 0)).ErrorCode);

        await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        Assert.True(manager.RemoveTracker("http://a/announce"));
        Assert.False(manager.RemoveTracker("http://a/announce"));

        var keptLast = manager.GetStatus().First(s => s.Url == "udp://b:80/announce").LastAnnounce;
        manager.ReplaceTrackers([["http://d/announce"], ["udp://b:80/announce"]]);
        var status = manager.GetStatus();
        Assert.Equal(["http://d/announce", "udp://b:80/announce"], status.Select(s => s.Url));
        Assert.Equal(keptLast, status[1].LastAnnounce);
        Assert.Equal(1, status[1].Tier);
    }

    [Fact]
    public async Task Unusable_urls_are_listed_with_an_error_and_never_contacted()
    {
        using var manager = Manager(Tiers(["not a url", "wss://x/announce", "udp://noport/announce"], ["http://ok/announce"]));
        var status = manager.GetStatus();
        Assert.Equal(4, status.Count);
        Assert.All(status.Take(3), s => Assert.False(s.IsEnabled));
        Assert.All(status.Take(3), s => Assert.Equal(ErrorCode.UnsupportedTrackerUrl, s.LastError));
        await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        Assert.Equal(["http://ok/announce"], _trackers.Urls);
    }

    [Fact]
    public async Task Status_reports_counts_warnings_and_scrape()
    {
        _trackers.Default = _ => new AnnounceResponse { Complete = 4, Incomplete = 6, Warning = "slow down" };
        using var manager = Manager(Tiers(["http://a/announce"]));
        var outcome = await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        Assert.Contains(outcome.Events, e => e.Kind == TrackerEventKind.Warning && e.Message == "slow down");
        var status = manager.GetStatus()[0];
        Assert.Equal((4, 6, "slow down", true), (status.Seeds, status.Peers, status.Warning, status.IsWorking));
        Assert.Equal(_time.GetUtcNow(), status.LastAnnounce);

        var scrape = await manager.ScrapeAsync();
        Assert.Equal(new ScrapeResponse(1, 2, 3), scrape.Replies["http://a/announce"]);
        Assert.Equal(3, manager.GetStatus()[0].Downloaded);
        Assert.Equal(TrackerEventKind.ScrapeReply, Assert.Single(scrape.Events).Kind);
    }

    [Fact]
    public async Task A_tracker_client_that_throws_anything_becomes_a_typed_failure()
    {
        _trackers.Script("http://a/announce", _ => throw new InvalidCastException("boom"));
        using var manager = Manager(Tiers(["http://a/announce"]));
        var outcome = await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        var error = Assert.Single(outcome.Events, e => e.Kind == TrackerEventKind.Error);
        Assert.Equal(ErrorCode.TrackerConnectFailed, error.Error);
    }

    [Fact]
    public async Task Manager_works_end_to_end_over_http_and_udp()
    {
        var peers = TrackerTestData.Compact(("10.0.0.5", 5000));
        using var http = new FakeHttpTracker(_ => FakeHttpReply.Bencoded($"d8:intervali1800e5:peers{TrackerTestData.Bencode(peers)}e"));
        using var udp = new FakeUdpTracker(FakeUdpTracker.Standard(TrackerTestData.Compact(("10.0.0.6", 6000))));
        using var factory = new TrackerClientFactory(TrackerTestData.FastOptions);
        using var manager = new TrackerManager(
            [[http.AnnounceUrl], [udp.AnnounceUrl]], TrackerTestData.Hashes, TrackerTestData.PeerId, () => 7777, factory,
            TrackerTestData.FastOptions with { AnnounceToAllTiers = true });
        var outcome = await manager.AnnounceAsync(AnnounceEvent.Started, Stats);
        Assert.Equal(2, outcome.Peers.Count);
        Assert.Equal("7777", Assert.Single(http.Requests).Text("port"));
        var scrape = await manager.ScrapeAsync();
        Assert.Single(scrape.Replies); // the fake HTTP tracker has no scrape answer, UDP does
        Assert.Contains(scrape.Events, e => e.Kind == TrackerEventKind.ScrapeFailed);
    }
}
