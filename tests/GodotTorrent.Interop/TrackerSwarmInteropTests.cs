using System.Diagnostics;
using GodotTorrent.Alerts;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Trackers;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// A swarm of our own sessions (one seed, two downloaders) whose only way to find each other is
/// the npm bittorrent-tracker server on 127.0.0.1 (no peers given, no DHT, no PEX needed): all
/// complete with the seed's files, the trackers' state is visible through the handle
/// (<see cref="TorrentHandle.GetTrackersAsync"/>, <see cref="TorrentHandle.ScrapeAsync"/>) and
/// the tracker alerts are posted.
/// </summary>
public sealed class TrackerSwarmInteropTests(ITestOutputHelper output) : IDisposable
{
    private const string Name = "content";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly IReadOnlyList<TestFile> Layout =
    [
        new("a.bin", (2L << 20) + 777),
        new("b/c.bin", 1L << 20),
        new("d.txt", 12_345),
    ];

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("http")]
    [InlineData("udp")]
    public async Task One_seed_and_two_downloaders_find_each_other_only_through_the_tracker(string scheme)
    {
        using var tracker = await NodeTracker.StartAsync(TimeSpan.FromSeconds(120));
        string url = scheme == "http" ? tracker.HttpAnnounceUrl : tracker.UdpAnnounceUrl;
        string seedDir = _data.PathOf("seed");
        _data.CreateFolder("seed/" + Name, 99, Layout);
        var torrent = await TorrentCreator.CreateAsync(
            Path.Combine(seedDir, Name), new TorrentCreatorOptions { PieceLength = 64 * 1024, Trackers = [[url]] });
        var clock = Stopwatch.StartNew();

        await using var sessions = new OurSessions();
        var seed = await sessions.StartAsync();
        var seedHandle = await seed.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedDir });
        await sessions.WaitAsync(seed, seedHandle, s => s.State == TorrentState.Seeding, Deadline, "seeding");
        // The seed is in the tracker's swarm before anyone asks for peers.
        await OurSessions.PollAsync(() => seedHandle.GetTrackersAsync(), t => t.Count == 1 && t[0].IsWorking, TimeSpan.FromSeconds(20), Describe);

        var downloaders = new List<(TorrentSession Session, TorrentHandle Handle, string Dir)>();
        foreach (string name in new[] { "d1", "d2" })
        {
            var session = await sessions.StartAsync();
            string dir = _data.PathOf(name);
            var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = dir });
            downloaders.Add((session, handle, dir));
        }

        foreach (var (session, handle, dir) in downloaders)
        {
            await sessions.WaitAsync(session, handle, s => s.State == TorrentState.Seeding, Deadline, "complete");
            OurSessions.AssertSameFiles(seedDir, dir, Name, Layout);
            // Every peer it ever had came from the tracker (or dialled it after hearing of it there).
            Assert.All(await handle.GetPeersAsync(), p => Assert.NotEqual("manual", p.Source));
        }

        output.WriteLine($"{scheme}: seed + 2 downloaders complete {clock.Elapsed.TotalSeconds:0.00} s after the seed started");

        // Announces and peer lists are visible through the handle.
        foreach (var (session, handle, _) in downloaders)
        {
            var status = Assert.Single(await handle.GetTrackersAsync());
            Assert.Equal(url, status.Url);
            Assert.True(status.IsWorking, Describe([status]));
            Assert.Equal(ErrorCode.None, status.LastError);
            Assert.Equal(0, status.FailuresInARow);
            Assert.NotNull(status.LastAnnounce);
            Assert.NotNull(status.Interval);
            Assert.True(status.Seeds >= 1 && status.Seeds + status.Peers >= 2, Describe([status]));

            var alerts = sessions.Alerts(session);
            Assert.Contains(alerts, a => a is TrackerAnnounceAlert { Event: AnnounceEvent.Started } announce && announce.Url == url);
            Assert.Contains(alerts, a => a is TrackerReplyAlert { PeerCount: >= 1 } reply && reply.Url == url);
            Assert.DoesNotContain(alerts, a => a is TrackerErrorAlert);
        }

        // Both downloaders tell the tracker they completed; the scrape then counts three seeds.
        await OurSessions.PollAsync(
            () => Task.WhenAll(downloaders.Select(d => Task.FromResult(sessions.Alerts(d.Session)))),
            all => all.All(alerts => alerts.Any(a => a is TrackerAnnounceAlert { Event: AnnounceEvent.Completed })
                && alerts.Count(a => a is TrackerReplyAlert) >= 2),
            TimeSpan.FromSeconds(20),
            _ => "no completed announce");
        var scraped = await OurSessions.PollAsync(
            () => seedHandle.ScrapeAsync(),
            t => t.Count == 1 && t[0].Seeds == 3 && t[0].Peers == 0,
            TimeSpan.FromSeconds(20),
            Describe);
        Assert.True(scraped[0].Downloaded >= 2, Describe(scraped));
        Assert.Contains(sessions.Alerts(seed), a => a is ScrapeReplyAlert { Complete: 3, Incomplete: 0 });

        // A forced reannounce of a seed is answered too (the tracker's min interval does not apply to it).
        int replies = sessions.Alerts(seed).Count(a => a is TrackerReplyAlert);
        await seedHandle.ForceReannounceAsync();
        await OurSessions.PollAsync(
            () => Task.FromResult(sessions.Alerts(seed).Count(a => a is TrackerReplyAlert)),
            n => n > replies,
            TimeSpan.FromSeconds(20),
            n => $"{n} replies");
        var seedTracker = Assert.Single(await seedHandle.GetTrackersAsync());
        Assert.Equal((3, 0), (seedTracker.Seeds, seedTracker.Peers));
    }

    private static string Describe(IReadOnlyList<TrackerStatus> trackers) =>
        string.Join("; ", trackers.Select(t => $"{t.Url} working={t.IsWorking} error={t.LastError} '{t.LastErrorMessage}' seeds={t.Seeds} peers={t.Peers} downloaded={t.Downloaded}"));
}
