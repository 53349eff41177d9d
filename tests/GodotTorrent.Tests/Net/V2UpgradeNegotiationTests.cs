using System.Security.Cryptography;
using GodotTorrent.Metainfo;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Net;

/// <summary>
/// BEP 52's upgrade bit in our handshakes (real TCP on loopback, as the other negotiator tests):
/// offered only for torrents with a v2 hash (libtorrent drops a peer that sets it for a v1-only
/// torrent); a hybrid's v1 handshake with the bit is answered with the v2 hash (as libtorrent
/// answers), and that answer is accepted by the dialler.
/// </summary>
public sealed class V2UpgradeNegotiationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly InfoHash V1 = new(SHA1.HashData("hybrid"u8));
    private static readonly InfoHash V2 = InfoHash.ComputeV2("hybrid"u8);

    [Fact]
    public async Task A_hybrids_v1_handshake_is_upgraded_to_the_v2_hash()
    {
        var hybrid = new InfoHashes(V1, V2);
        await using var pair = await LoopbackPair.OpenAsync();
        var accepting = Negotiators.Create(new Torrents(hybrid)).AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);
        var dialled = await Negotiators.Create(new Torrents(hybrid)).ConnectAsync(pair.Dialler, new Id20(V1.Span), encrypted: false, Timeout, CancellationToken.None);
        var accepted = await accepting;

        Assert.True(accepted.Handshake.Reserved.V2Upgrade);
        Assert.Equal(new Id20(V1.Span), accepted.Handshake.InfoHash);
        // The answer names the v2 hash and, like libtorrent's, does not offer the upgrade again.
        Assert.Equal(new Id20(V2.Truncated), dialled.Handshake.InfoHash);
        Assert.False(dialled.Handshake.Reserved.V2Upgrade);
    }

    [Fact]
    public async Task A_side_that_knows_only_the_v1_hash_neither_offers_nor_upgrades()
    {
        // A magnet with only btih: the torrent's v2 hash is unknown here.
        await using var pair = await LoopbackPair.OpenAsync();
        var accepting = Negotiators.Create(new Torrents(new InfoHashes(V1, null))).AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);
        var dialled = await Negotiators.Create(new Torrents(new InfoHashes(V1, V2))).ConnectAsync(pair.Dialler, new Id20(V1.Span), encrypted: false, Timeout, CancellationToken.None);
        var accepted = await accepting;

        Assert.True(accepted.Handshake.Reserved.V2Upgrade);
        Assert.Equal(new Id20(V1.Span), dialled.Handshake.InfoHash);
        Assert.False(dialled.Handshake.Reserved.V2Upgrade);
    }

    [Fact]
    public async Task A_v2_only_torrent_offers_the_bit_with_its_truncated_hash()
    {
        var v2Only = new InfoHashes(null, V2);
        await using var pair = await LoopbackPair.OpenAsync();
        var accepting = Negotiators.Create(new Torrents(v2Only)).AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);
        var dialled = await Negotiators.Create(new Torrents(v2Only)).ConnectAsync(pair.Dialler, new Id20(V2.Truncated), encrypted: false, Timeout, CancellationToken.None);
        var accepted = await accepting;

        Assert.True(accepted.Handshake.Reserved.V2Upgrade);
        Assert.True(dialled.Handshake.Reserved.V2Upgrade);
        Assert.Equal(new Id20(V2.Truncated), dialled.Handshake.InfoHash);
    }

    private sealed class Torrents(InfoHashes hashes) : ITorrentDirectory
    {
        public bool AcceptsPeers(Id20 wireHash) => WireHashes().Contains(wireHash);

        public IEnumerable<Id20> WireHashes()
        {
            if (hashes.V1 is { } v1)
            {
                yield return new Id20(v1.Span);
            }

            if (hashes.V2 is { } v2)
            {
                yield return new Id20(v2.Truncated);
            }
        }

        public InfoHashes? InfoHashesOf(Id20 wireHash) => AcceptsPeers(wireHash) ? hashes : null;
    }
}
