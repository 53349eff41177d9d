using System.Net;
using GodotTorrent.Peers;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Peers;

public sealed class PeerListTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Dial_order_puts_fewer_failures_first_then_direct_sources_then_the_longest_known()
    {
        var list = new PeerList();
        var pex = list.Add(At(1), PeerSource.Pex)!;
        var tracker = list.Add(At(2), PeerSource.Tracker)!;
        var manual = list.Add(At(3), PeerSource.Manual)!;
        var secondTracker = list.Add(At(4), PeerSource.Tracker)!;
        var failed = list.Add(At(5), PeerSource.Manual)!;
        PeerList.ConnectFailed(failed, Now - TimeSpan.FromHours(1));

        var order = list.DialOrder(Now, seeding: false).ToList();

        Assert.Equal([manual, tracker, secondTracker, pex, failed], order);
    }

    [Fact]
    public void Failures_back_off_exponentially_and_a_connection_clears_them()
    {
        var list = new PeerList();
        var candidate = list.Add(At(1), PeerSource.Tracker)!;

        PeerList.ConnectFailed(candidate, Now);
        Assert.Equal(Now + TimeSpan.FromSeconds(5), candidate.NextAttempt);
        Assert.Empty(list.DialOrder(Now + TimeSpan.FromSeconds(4), seeding: false));
        PeerList.ConnectFailed(candidate, Now);
        Assert.Equal(Now + TimeSpan.FromSeconds(10), candidate.NextAttempt);
        for (int i = 0; i < 20; i++)
        {
            PeerList.ConnectFailed(candidate, Now);
        }

        Assert.Equal(Now + TimeSpan.FromMinutes(10), candidate.NextAttempt);
        Assert.Single(list.DialOrder(Now + TimeSpan.FromMinutes(10), seeding: false));

        PeerList.Connected(candidate);
        Assert.Equal(0, candidate.Failures);
        Assert.Empty(list.DialOrder(Now + TimeSpan.FromHours(1), seeding: false));
    }

    [Fact]
    public void A_ban_survives_the_disconnect_and_the_peer_being_learned_again()
    {
        var list = new PeerList { AllowMultiplePerAddress = false };
        var candidate = list.Add(At(1), PeerSource.Tracker)!;
        var id = PeerId.Generate();
        PeerList.Connected(candidate);

        list.Ban(candidate.EndPoint, id, "corrupt data");
        PeerList.Disconnected(candidate, wasSeed: false, Now);
        list.Add(At(1), PeerSource.Pex);
        list.Add(At(2), PeerSource.Manual);

        Assert.True(list.IsBanned(At(1), null));
        Assert.True(list.IsBanned(At(2), null)); // Same address, another port: one peer per address here.
        Assert.True(list.IsBanned(new IPEndPoint(IPAddress.Parse("10.9.9.9"), 1), id));
        Assert.False(list.IsBanned(new IPEndPoint(IPAddress.Parse("10.9.9.9"), 1), PeerId.Generate()));
        Assert.Empty(list.DialOrder(Now + TimeSpan.FromHours(1), seeding: false));
        Assert.Equal("corrupt data", list.Record(At(1)).BanReason);
    }

    [Fact]
    public void Where_peers_share_an_address_a_ban_names_the_endpoint()
    {
        var list = new PeerList { AllowMultiplePerAddress = true };
        list.Add(At(1), PeerSource.Tracker);
        var other = list.Add(At(2), PeerSource.Tracker)!;

        list.Ban(At(1), null, "bad");

        Assert.True(list.IsBanned(At(1), null));
        Assert.False(list.IsBanned(At(2), null));
        Assert.Equal([other], list.DialOrder(Now, seeding: false));
    }

    [Fact]
    public void The_filter_removes_idle_blocked_candidates_but_not_connected_ones()
    {
        var list = new PeerList();
        var blockedIdle = list.Add(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1), PeerSource.Tracker)!;
        var blockedConnected = list.Add(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 1), PeerSource.Tracker)!;
        list.Add(new IPEndPoint(IPAddress.Parse("192.168.0.1"), 1), PeerSource.Tracker);
        PeerList.Connected(blockedConnected);

        var removed = list.RemoveBlocked(a => a.ToString().StartsWith("10.", StringComparison.Ordinal));

        Assert.Equal([blockedIdle.EndPoint], removed);
        Assert.Equal(2, list.Count);
        Assert.False(list.TryGet(blockedIdle.EndPoint, out _));
    }

    [Fact]
    public void The_same_endpoint_from_two_sources_merges_flags_and_shows_the_most_direct_source()
    {
        var list = new PeerList();
        var first = list.Add(At(1), PeerSource.Pex, PexFlags.SupportsUtp)!;
        var second = list.Add(new IPEndPoint(IPAddress.Parse("127.0.0.1").MapToIPv6(), 1), PeerSource.Tracker, PexFlags.UploadOnly)!;

        Assert.Same(first, second);
        Assert.Equal(1, list.Count);
        Assert.Equal(PeerSource.Pex | PeerSource.Tracker, first.Sources);
        Assert.Equal(PexFlags.SupportsUtp | PexFlags.UploadOnly, first.PexFlags);
        Assert.Equal("tracker", first.SourceName);
    }

    [Fact]
    public void Restricting_sources_forgets_idle_peers_learned_only_from_forbidden_ones()
    {
        var list = new PeerList();
        var pexOnly = list.Add(At(1), PeerSource.Pex)!;
        var both = list.Add(At(2), PeerSource.Pex)!;
        list.Add(At(2), PeerSource.Tracker);
        var connectedPex = list.Add(At(3), PeerSource.Pex)!;
        PeerList.Connected(connectedPex);

        list.RestrictSources(PeerSource.AllowedForPrivate);

        Assert.False(list.TryGet(pexOnly.EndPoint, out _));
        Assert.True(list.TryGet(both.EndPoint, out _));
        Assert.Equal(PeerSource.Tracker, both.Sources);
        Assert.True(list.TryGet(connectedPex.EndPoint, out _));
    }

    [Fact]
    public void A_seed_is_not_dialled_while_we_seed_and_the_list_is_bounded()
    {
        var list = new PeerList(capacity: 2);
        var seed = list.Add(At(1), PeerSource.Tracker)!;
        PeerList.Disconnected(seed, wasSeed: true, Now - TimeSpan.FromMinutes(1));
        list.Add(At(2), PeerSource.Tracker);

        Assert.Null(list.Add(At(3), PeerSource.Tracker));
        Assert.Null(list.Add(new IPEndPoint(IPAddress.Loopback, 0), PeerSource.Tracker));
        Assert.DoesNotContain(seed, list.DialOrder(Now, seeding: true));
        Assert.Contains(seed, list.DialOrder(Now, seeding: false));
    }

    [Fact]
    public void Hash_strikes_live_on_the_address_and_survive_reconnects_until_the_ban()
    {
        var list = new PeerList { AllowMultiplePerAddress = false };
        var candidate = list.Add(At(1), PeerSource.Tracker)!;
        for (int connection = 0; connection < 2; connection++)
        {
            PeerList.Connected(candidate);
            Assert.False(list.HashStrike(At(1), maxStrikes: 3));
            PeerList.Disconnected(candidate, wasSeed: false, Now);
        }

        // A third strike from a new connection on another port of the same address reaches the limit.
        Assert.True(list.HashStrike(At(7), maxStrikes: 3));
        Assert.Equal(3, list.Record(At(1)).HashStrikes);
    }

    [Fact]
    public void A_protocol_strike_holds_off_redialling_with_a_growing_back_off_and_repeats_reach_the_limit()
    {
        var list = new PeerList { AllowMultiplePerAddress = true };
        var breaker = list.Add(At(1), PeerSource.Tracker)!;
        var bystander = list.Add(At(2), PeerSource.Tracker)!;

        PeerList.Connected(breaker);
        PeerList.Disconnected(breaker, wasSeed: false, Now);
        Assert.False(list.ProtocolStrike(At(1), Now, maxStrikes: 3));
        Assert.Equal([bystander], list.DialOrder(Now + TimeSpan.FromSeconds(29), seeding: false));
        Assert.Contains(breaker, list.DialOrder(Now + TimeSpan.FromSeconds(30), seeding: false));

        var later = Now + TimeSpan.FromMinutes(5);
        Assert.False(list.ProtocolStrike(At(1), later, maxStrikes: 3));
        Assert.DoesNotContain(breaker, list.DialOrder(later + TimeSpan.FromSeconds(59), seeding: false));
        Assert.Contains(breaker, list.DialOrder(later + TimeSpan.FromSeconds(60), seeding: false));

        Assert.True(list.ProtocolStrike(At(1), later, maxStrikes: 3));
        Assert.Equal(TimeSpan.FromHours(1), PeerAddressRecord.Backoff(30));
    }

    [Fact]
    public void Naming_a_peer_again_clears_its_dial_failures_but_not_a_protocol_back_off_or_a_ban()
    {
        var list = new PeerList { AllowMultiplePerAddress = true };
        var breaker = list.Add(At(1), PeerSource.Tracker)!;
        var liar = list.Add(At(2), PeerSource.Tracker)!;
        var unreachable = list.Add(At(3), PeerSource.Tracker)!;
        list.ProtocolStrike(At(1), Now, maxStrikes: 3);
        list.Ban(At(2), null, "corrupt data");
        PeerList.ConnectFailed(unreachable, Now);

        foreach (var candidate in new[] { breaker, liar, unreachable })
        {
            PeerList.RetryNow(candidate);
        }

        Assert.Equal([unreachable], list.DialOrder(Now, seeding: false));
        Assert.Equal([breaker, unreachable], list.DialOrder(Now + TimeSpan.FromSeconds(30), seeding: false));
    }

    private static IPEndPoint At(int port) => new(IPAddress.Loopback, port);
}
