using GodotTorrent.Peers;

namespace GodotTorrent.Tests.Peers;

public sealed class SlotEvictionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_connection_silent_since_its_handshake_goes_before_an_idle_one_that_spoke()
    {
        SlotCandidate[] candidates =
        [
            Idle(1, T0),
            Silent(2, T0.AddSeconds(30)),
        ];

        Assert.Equal(1, SlotEviction.PickVictim(candidates));
    }

    [Fact]
    public void Among_equals_the_one_idle_longest_goes()
    {
        SlotCandidate[] candidates =
        [
            Silent(1, T0.AddSeconds(20)),
            Silent(2, T0),
            Silent(3, T0.AddSeconds(10)),
        ];

        Assert.Equal(1, SlotEviction.PickVictim(candidates));
    }

    [Fact]
    public void A_seed_while_we_seed_goes_before_an_uninterested_leecher()
    {
        SlotCandidate[] candidates =
        [
            Idle(1, T0),
            Idle(2, T0.AddSeconds(50)) with { UselessSeed = true },
        ];

        Assert.Equal(1, SlotEviction.PickVictim(candidates));
    }

    [Fact]
    public void A_connection_moving_data_is_never_evicted_even_when_it_is_the_only_one_idle_longest()
    {
        SlotCandidate[] candidates =
        [
            Silent(1, T0) with { MovingData = true },
            Idle(2, T0.AddSeconds(40)),
        ];

        Assert.Equal(1, SlotEviction.PickVictim(candidates));
    }

    [Fact]
    public void A_newcomer_is_refused_only_when_every_connection_is_more_useful()
    {
        SlotCandidate[] useful =
        [
            Idle(1, T0) with { Interested = true },
            Idle(2, T0) with { MovingData = true },
            Idle(3, T0) with { MovingData = true, UselessSeed = true },
        ];

        Assert.Equal(-1, SlotEviction.PickVictim(useful));
        Assert.Equal(-1, SlotEviction.PickVictim([]));
    }

    [Fact]
    public void Work_per_decision_is_bounded()
    {
        var candidates = new SlotCandidate[SlotEviction.MaxScanned + 10];
        for (int i = 0; i < candidates.Length; i++)
        {
            candidates[i] = Idle(i, T0) with { Interested = true };
        }

        // The only evictable one lies past the bound: it is not looked at.
        candidates[^1] = Silent(candidates.Length - 1, T0);
        Assert.Equal(-1, SlotEviction.PickVictim(candidates));
        candidates[3] = Silent(3, T0);
        Assert.Equal(3, SlotEviction.PickVictim(candidates));
    }

    private static SlotCandidate Silent(int id, DateTimeOffset lastUseful) => new(id, HeardFrom: false, Interested: false, MovingData: false, UselessSeed: false, lastUseful);

    private static SlotCandidate Idle(int id, DateTimeOffset lastUseful) => new(id, HeardFrom: true, Interested: false, MovingData: false, UselessSeed: false, lastUseful);
}
