using GodotTorrent.Peers;

namespace GodotTorrent.Tests.Peers;

public sealed class PeerIdleRulesTests
{
    private static readonly DateTimeOffset Connected = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly IdleLimits Limits = new(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60), NearLimit: true);

    [Fact]
    public void A_peer_that_says_nothing_after_its_handshake_is_dropped_after_the_silence_timeout()
    {
        var silent = new SlotCandidate(1, HeardFrom: false, Interested: false, MovingData: false, UselessSeed: false, Connected);

        Assert.Null(PeerIdleRules.Expired(silent, Connected, Connected.AddSeconds(14), Limits with { NearLimit = false }));
        Assert.NotNull(PeerIdleRules.Expired(silent, Connected, Connected.AddSeconds(15), Limits with { NearLimit = false }));
        Assert.Null(PeerIdleRules.Expired(silent with { HeardFrom = true }, Connected, Connected.AddSeconds(15), Limits with { NearLimit = false }));
    }

    [Fact]
    public void An_idle_pair_uninterested_both_ways_is_dropped_only_when_slots_are_scarce()
    {
        var idle = new SlotCandidate(1, HeardFrom: true, Interested: false, MovingData: false, UselessSeed: false, Connected);
        var later = Connected.AddSeconds(60);

        Assert.NotNull(PeerIdleRules.Expired(idle, Connected, later, Limits));
        Assert.Null(PeerIdleRules.Expired(idle, Connected, later, Limits with { NearLimit = false }));
        Assert.Null(PeerIdleRules.Expired(idle, Connected, Connected.AddSeconds(59), Limits));
        Assert.Null(PeerIdleRules.Expired(idle with { Interested = true }, Connected, later, Limits));
        Assert.Null(PeerIdleRules.Expired(idle with { MovingData = true }, Connected, later, Limits));
        Assert.Null(PeerIdleRules.Expired(idle with { LastUseful = Connected.AddSeconds(30) }, Connected, later, Limits));
    }

    [Theory]
    [InlineData(53, 60, false)]
    [InlineData(54, 60, true)]
    [InlineData(0, 1, false)]
    [InlineData(1, 1, true)]
    public void Slots_are_scarce_from_ninety_percent_of_the_limit(int used, int limit, bool scarce)
    {
        Assert.Equal(scarce, PeerIdleRules.IsNearLimit(used, limit));
    }
}
