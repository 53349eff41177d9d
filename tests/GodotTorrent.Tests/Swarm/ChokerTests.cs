using GodotTorrent.Swarm;

namespace GodotTorrent.Tests.Swarm;

public class ChokerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ChokerPeer Peer(int id, double down = 0, double up = 0, bool interested = true, bool snubbed = false, DateTimeOffset? connected = null) =>
        new(id, interested, down, up, connected ?? T0.AddHours(-1), snubbed);

    [Fact]
    public void Downloading_unchokes_the_best_givers_plus_one_optimistic()
    {
        var choker = new Choker(random: new Random(1));
        ChokerPeer[] peers =
        [
            Peer(1, down: 100), Peer(2, down: 500), Peer(3, down: 300), Peer(4, down: 900, snubbed: true),
            Peer(5, down: 200), Peer(6, down: 1000, interested: false), Peer(7, down: 50),
        ];
        var unchoke = new List<int>();
        choker.Evaluate(T0, peers, seeding: false, unchoke);
        Assert.Equal(4, unchoke.Count);
        Assert.Equal([2, 3, 5], unchoke.Take(3));
        int optimistic = Assert.NotNull(choker.OptimisticPeer);
        Assert.Contains(optimistic, new[] { 1, 4, 7 }); // interested, not regular; a snubbed peer may win it
        Assert.DoesNotContain(6, unchoke);
    }

    [Fact]
    public void Optimistic_slot_holds_for_30_s_then_rotates_to_everyone_over_time()
    {
        var choker = new Choker(random: new Random(7));
        ChokerPeer[] peers = [Peer(1, down: 900), Peer(2, down: 800), Peer(3, down: 700), Peer(4), Peer(5), Peer(6), Peer(7)];
        var unchoke = new List<int>();
        var holders = new List<int>();
        for (int tick = 0; tick < 60; tick++)
        {
            choker.Evaluate(T0.AddSeconds(tick * 10), peers, seeding: false, unchoke);
            Assert.Equal([1, 2, 3], unchoke.Take(3));
            holders.Add(choker.OptimisticPeer!.Value);
        }

        // Each holder keeps the slot for three 10 s evaluations, and the next one differs.
        for (int i = 0; i < holders.Count; i += 3)
        {
            Assert.Equal(holders[i], holders[i + 1]);
            Assert.Equal(holders[i], holders[i + 2]);
            if (i + 3 < holders.Count)
            {
                Assert.NotEqual(holders[i], holders[i + 3]);
            }
        }

        Assert.Equal([4, 5, 6, 7], holders.Distinct().Order());
    }

    [Fact]
    public void New_peers_are_three_times_as_likely_to_be_optimistic()
    {
        var options = new ChokerOptions { UploadSlots = 1 };
        var newCount = 0;
        const int Trials = 4000;
        for (int seed = 0; seed < Trials; seed++)
        {
            var choker = new Choker(options, new Random(seed));
            ChokerPeer[] peers = [Peer(1), Peer(2), Peer(3, connected: T0.AddSeconds(-10))];
            var unchoke = new List<int>();
            choker.Evaluate(T0, peers, seeding: false, unchoke);
            newCount += unchoke.Single() == 3 ? 1 : 0;
        }

        // Weights 1, 1, 3: the new peer wins 3/5 of the draws.
        Assert.InRange(newCount / (double)Trials, 0.57, 0.63);
    }

    [Fact]
    public void Optimistic_peer_that_disconnects_or_loses_interest_is_replaced_at_once()
    {
        var choker = new Choker(new ChokerOptions { UploadSlots = 1 }, new Random(3));
        var unchoke = new List<int>();
        choker.Evaluate(T0, [Peer(1), Peer(2)], seeding: false, unchoke);
        int first = unchoke.Single();
        int other = first == 1 ? 2 : 1;
        choker.Evaluate(T0.AddSeconds(10), [Peer(other)], seeding: false, unchoke);
        Assert.Equal([other], unchoke);
        choker.Evaluate(T0.AddSeconds(20), [Peer(other, interested: false), Peer(first)], seeding: false, unchoke);
        Assert.Equal([first], unchoke);
    }

    [Fact]
    public void Equal_rates_keep_the_peers_already_unchoked()
    {
        var choker = new Choker(new ChokerOptions { UploadSlots = 3 }, new Random(1));
        var unchoke = new List<int>();
        choker.Evaluate(T0, [Peer(5, down: 10), Peer(6, down: 10), Peer(1, down: 1), Peer(2, down: 1)], seeding: false, unchoke);
        Assert.Equal([5, 6], unchoke.Take(2));
        int optimistic = choker.OptimisticPeer!.Value;
        int choked = optimistic == 1 ? 2 : 1;

        // Everyone now gives 10: the choked peer's lower id does not displace anyone already unchoked.
        choker.Evaluate(T0.AddSeconds(10), [Peer(1, down: 10), Peer(2, down: 10), Peer(5, down: 10), Peer(6, down: 10)], seeding: false, unchoke);
        Assert.DoesNotContain(choked, unchoke.Take(2));
        Assert.All(unchoke.Take(2), id => Assert.Contains(id, new[] { 5, 6, optimistic }));
    }

    [Fact]
    public void Seeding_fastest_upload_ranks_by_rate_to_the_peer_and_ignores_snubbing()
    {
        var choker = new Choker(random: new Random(1));
        var unchoke = new List<int>();
        ChokerPeer[] peers = [Peer(1, up: 10), Peer(2, up: 50, snubbed: true), Peer(3, up: 30), Peer(4, up: 40, down: 1e9, interested: false), Peer(5, up: 20)];
        choker.Evaluate(T0, peers, seeding: true, unchoke);
        Assert.Equal([2, 3, 5], unchoke.Take(3));
        Assert.Equal(1, choker.OptimisticPeer);
    }

    [Fact]
    public void Seeding_round_robin_serves_everyone_in_turn()
    {
        var choker = new Choker(new ChokerOptions { SeedMode = SeedChokingMode.RoundRobin, UploadSlots = 3 }, new Random(1));
        ChokerPeer[] peers = [Peer(10, up: 1e6), Peer(11), Peer(12), Peer(13), Peer(14)];
        var unchoke = new List<int>();
        var regular = new List<int[]>();
        for (int tick = 0; tick < 5; tick++)
        {
            choker.Evaluate(T0.AddSeconds(tick * 10), peers, seeding: true, unchoke);
            regular.Add([.. unchoke.Take(2)]);
        }

        Assert.Equal([10, 11], regular[0]);
        Assert.Equal([12, 13], regular[1]);
        Assert.Equal([14, 10], regular[2]);
        Assert.Equal([11, 12], regular[3]);
    }

    [Fact]
    public void Zero_slots_means_everyone_interested()
    {
        var choker = new Choker(new ChokerOptions { UploadSlots = 0 });
        var unchoke = new List<int>();
        choker.Evaluate(T0, [Peer(1), Peer(2, interested: false), Peer(3, snubbed: true)], seeding: false, unchoke);
        Assert.Equal([1, 3], unchoke);
    }

    [Fact]
    public void Same_seed_same_choices()
    {
        ChokerPeer[] peers = [.. Enumerable.Range(0, 20).Select(i => Peer(i, down: i % 5))];
        var a = new Choker(random: new Random(99));
        var b = new Choker(random: new Random(99));
        var ua = new List<int>();
        var ub = new List<int>();
        for (int tick = 0; tick < 30; tick++)
        {
            a.Evaluate(T0.AddSeconds(tick * 10), peers, false, ua);
            b.Evaluate(T0.AddSeconds(tick * 10), peers, false, ub);
            Assert.Equal(ua, ub);
        }
    }
}
