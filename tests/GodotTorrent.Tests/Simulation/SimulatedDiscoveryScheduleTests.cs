using GodotTorrent.Discovery;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Discovery;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Issue 19 with the DHT and LSD on, as a game runs: many torrents' announces come from one
/// schedule per source read by the session's tick, never a timer per torrent; the first announces
/// of torrents that start together are spread out, the neediest first.
/// </summary>
public sealed class SimulatedDiscoveryScheduleTests
{
    private static readonly SessionSettings Discovery = SimSwarm.DefaultSettings with { EnableDht = true, EnableLsd = true };

    [Fact]
    public void Idle_work_with_dht_and_lsd_on_grows_with_the_torrents_only_by_their_announces()
    {
        var few = IdleRun(torrents: 5);
        var many = IdleRun(torrents: 200);

        // The window holds two LSD rounds of every torrent, and no DHT round (15 minutes apart).
        Assert.Equal(2 * 5, few.LsdAnnounces);
        Assert.Equal(2 * 200, many.LsdAnnounces);
        Assert.Equal(0, many.Lookups);
        // The extra work of 195 more torrents is their datagrams (a send, the group's copy, the
        // receive: 4 steps each here, 96 for 24), not a wake-up per torrent (two steps each, the
        // timer and its post: 780 for 390 announces, as a timer per torrent cost).
        long extra = many.Steps - few.Steps;
        long extraDatagrams = many.Datagrams - few.Datagrams;
        Assert.True(extra <= 5 * extraDatagrams, $"{extra} more steps for {extraDatagrams} more datagrams ({few.Steps} / {many.Steps})");
    }

    [Fact]
    public void Torrents_starting_together_are_all_looked_up_within_the_window_downloads_first_and_a_few_a_tick()
    {
        using var swarm = new SimSwarm(191);
        var made = new List<FakeDht>();
        var group = new SimLsdGroup(swarm);
        // The DHT comes up once every torrent runs, so all 200 are due at the same instant.
        var node = group.AddNode(Discovery with { EnableDht = false, ActiveSeeds = 300, ActiveLimit = 300, ActiveDownloads = 300 },
            o => o with { DhtFactory = FakeDht.Factory(made) });
        var seeds = AddSeeds(swarm, node, 190);
        var downloads = new HashSet<Id20>();
        for (int i = 0; i < 10; i++)
        {
            // Added last, no data and no peer: they stay downloading.
            var (torrent, _) = SimSwarm.MakeTorrent(64 * 1024, contentSeed: 5000 + i);
            swarm.AddTorrent(node, new AddTorrentParams { Torrent = torrent, SavePath = $"/sim/d{i}" });
            downloads.Add(new Id20(torrent.InfoHashes.V1!.Span));
        }

        Assert.True(swarm.RunUntil(() => swarm.Run(node.Session.GetTorrentStatusesAsync()).All(s => s.State is TorrentState.Seeding or TorrentState.Downloading), TimeSpan.FromMinutes(2)));
        swarm.Run(node.Session.ApplySettingsAsync(node.Session.Settings with { EnableDht = true }));
        var on = swarm.Clock.GetUtcNow();
        var window = TimeSpan.FromSeconds(200.0 / SessionDht.LookupsPerTick(200));
        swarm.RunFor(window + TimeSpan.FromSeconds(5));

        var lookups = Assert.Single(made).Lookups;
        var first = lookups.GroupBy(l => l.InfoHash).ToDictionary(g => g.Key, g => g.Min(l => l.At));
        Assert.Equal(seeds.Union(downloads).ToHashSet(), first.Keys.ToHashSet());
        Assert.All(first.Values, at => Assert.InRange(at - on, TimeSpan.Zero, window + TimeSpan.FromSeconds(2)));
        // Spread out: not all at once, at most a tick's share in any one instant.
        Assert.All(lookups.GroupBy(l => l.At), g => Assert.InRange(g.Count(), 1, SessionDht.LookupsPerTick(200)));
        // The downloads, added last, asked before any seed.
        var lastDownload = downloads.Max(h => first[h]);
        var firstSeed = seeds.Min(h => first[h]);
        Assert.True(lastDownload <= firstSeed, $"last download at {lastDownload - on}, first seed at {firstSeed - on}");
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void Lsd_announces_200_torrents_in_full_datagrams_a_tick_apart_each_once_at_start()
    {
        using var swarm = new SimSwarm(192);
        var group = new SimLsdGroup(swarm);
        var node = group.AddNode(Discovery with { EnableDht = false, ActiveSeeds = 300, ActiveLimit = 300 });
        var added = swarm.Clock.Elapsed;
        var seeds = AddSeeds(swarm, node, 200);
        swarm.RunFor(TimeSpan.FromMinutes(1));

        var sent = group.Tap.Received.Select(d => (d.At, Message: LsdCodec.TryDecode(d.Data)!)).ToList();
        var announced = sent.SelectMany(s => s.Message.InfoHashes).ToList();
        // Each torrent once (its next turn is 5 minutes later), in few datagrams: 16 hashes in most.
        Assert.Equal(seeds.Count, announced.Count);
        Assert.Equal(seeds, announced.ToHashSet());
        Assert.InRange(sent.Count, (200 + SessionLsd.HashesPerDatagram - 1) / SessionLsd.HashesPerDatagram, 30);
        for (int i = 1; i < sent.Count; i++)
        {
            Assert.True(sent[i].At - sent[i - 1].At >= SessionLsd.SendGap - TimeSpan.FromMilliseconds(1));
        }

        Assert.True(sent[^1].At - added < TimeSpan.FromMinutes(1));
    }

    private static HashSet<Id20> AddSeeds(SimSwarm swarm, SimNode node, int count)
    {
        var hashes = new HashSet<Id20>();
        for (int i = 0; i < count; i++)
        {
            var content = SimContent.Create("t" + i, [("a.bin", 20_000)], pieceLength: 16384, seed: i + 1);
            swarm.AddTorrent(node, new AddTorrentParams { Torrent = content.Torrent, SavePath = "/sim/t" + i }, content.PieceSpace);
            hashes.Add(new Id20(content.Torrent.InfoHashes.V1!.Span));
        }

        return hashes;
    }

    // Scheduler steps, DHT lookups, LSD datagrams and announced hashes in 10 idle minutes, past the first announces.
    private static (long Steps, int Lookups, long Datagrams, int LsdAnnounces) IdleRun(int torrents)
    {
        using var swarm = new SimSwarm(190);
        var made = new List<FakeDht>();
        var group = new SimLsdGroup(swarm);
        var node = group.AddNode(Discovery with { ActiveSeeds = torrents, ActiveLimit = torrents }, o => o with { DhtFactory = FakeDht.Factory(made) });
        var handles = AddSeeds(swarm, node, torrents);
        Assert.True(swarm.RunUntil(() => swarm.Run(node.Session.GetTorrentStatusesAsync()).All(s => s.State == TorrentState.Seeding), TimeSpan.FromMinutes(1)));
        // Past the first lookups (spread over up to 2 minutes) and the first LSD datagrams.
        swarm.RunFor(TimeSpan.FromMinutes(3));
        var dht = Assert.Single(made);
        Assert.Equal(torrents, dht.Lookups.Select(l => l.InfoHash).Distinct().Count());
        long steps = swarm.Scheduler.Steps;
        int lookups = dht.Lookups.Count;
        long datagrams = group.Tap.Count;
        int recorded = group.Tap.Received.Count;
        swarm.RunFor(TimeSpan.FromMinutes(10));
        Assert.Empty(swarm.Scheduler.Errors);
        int announces = group.Tap.Received.Skip(recorded).Sum(d => LsdCodec.TryDecode(d.Data)!.InfoHashes.Count);
        return (swarm.Scheduler.Steps - steps, dht.Lookups.Count - lookups, group.Tap.Count - datagrams, announces);
    }
}
