using System.Net;
using GodotTorrent.Dht;
using GodotTorrent.Wire;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Dht;

/// <summary>What serving others keeps: write tokens, the peer store's bounds, the per-source query limit.</summary>
public sealed class DhtServingStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress A = IPAddress.Parse("1.2.3.4");
    private static readonly IPAddress B = IPAddress.Parse("1.2.3.5");

    [Fact]
    public void A_token_is_good_for_its_address_for_one_rotation_only()
    {
        var tokens = new TokenKeeper(new Random(1), Now);
        var token = tokens.Issue(A);
        Assert.True(tokens.IsValid(token, A));
        Assert.False(tokens.IsValid(token, B));
        Assert.False(tokens.IsValid(token.AsSpan(1), A));

        tokens.Tick(Now + TokenKeeper.RotateEvery);
        Assert.True(tokens.IsValid(token, A));
        tokens.Tick(Now + (2 * TokenKeeper.RotateEvery));
        Assert.False(tokens.IsValid(token, A));
    }

    [Fact]
    public void The_peer_store_bounds_peers_info_hashes_and_time()
    {
        var random = new Random(2);
        var store = new PeerStore(random, maxInfoHashes: 10, maxPeers: 100);
        var hash = NodeIds.Random(random);
        for (int i = 0; i < 250; i++)
        {
            store.Announce(hash, Peer(i), seed: false, Now);
        }

        Assert.Equal(100, store.PeerCount(hash));
        Assert.Equal(50, store.Peers(hash, 50, Now).Distinct().Count());
        store.Announce(hash, Peer(249), seed: true, Now);
        Assert.Equal(100, store.PeerCount(hash));

        for (int i = 0; i < 30; i++)
        {
            store.Announce(NodeIds.Random(random), Peer(i), seed: false, Now.AddMinutes(1));
        }

        Assert.Equal(10, store.InfoHashes);
        Assert.Equal(10, store.Sample(20).Distinct().Count());

        store.Expire(Now.AddMinutes(1) + PeerStore.Expiry);
        Assert.Equal(0, store.InfoHashes);
        Assert.Empty(store.Peers(hash, 50, Now));
    }

    [Fact]
    public void Each_source_gets_a_burst_then_a_steady_rate_and_the_table_is_bounded()
    {
        var time = new FakeTimeProvider(Now);
        var limiter = new SourceLimiter(time);
        int allowed = Enumerable.Range(0, 100).Count(_ => limiter.Allow(A));
        Assert.Equal(40, allowed);
        Assert.True(limiter.Allow(B));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(20, Enumerable.Range(0, 100).Count(_ => limiter.Allow(A)));

        for (int i = 0; i < 10_000; i++)
        {
            limiter.Allow(new IPAddress([9, (byte)(i >> 16), (byte)(i >> 8), (byte)i]));
        }

        Assert.InRange(limiter.Count, 1, SourceLimiter.MaxSources);
    }

    private static IPEndPoint Peer(int n) => new(new IPAddress([5, 5, (byte)(n >> 8), (byte)n]), 6881);
}
