using System.Net;
using GodotTorrent.Swarm;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Swarm;

public sealed class SmartBanTests
{
    private static readonly BlockSender Honest = new(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 6881), PeerId.Generate("-HN0001-"));
    private static readonly BlockSender Liar = new(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 6881), PeerId.Generate("-LI0001-"));
    private static readonly BlockSender Other = new(new IPEndPoint(IPAddress.Parse("10.0.0.3"), 6881), PeerId.Generate("-OT0001-"));

    [Fact]
    public void A_failure_with_several_senders_blames_nobody_until_the_piece_passes_then_only_the_one_whose_block_differs()
    {
        var ban = new SmartBan();
        ulong[] good = [11, 12, 13, 14];

        var now = ban.PieceFailed(5, 4, [new(0, Honest, 11), new(1, Liar, 999), new(2, Honest, 13), new(3, Other, 14)]);

        Assert.Null(now);
        Assert.True(ban.HasEvidence(5));
        var culprits = ban.PiecePassed(5, good);
        Assert.Equal([(Liar, 1)], culprits);
        Assert.False(ban.HasEvidence(5));
    }

    [Fact]
    public void A_failure_whose_every_block_came_from_one_peer_names_that_peer_at_once()
    {
        var ban = new SmartBan();

        Assert.Equal(Liar, ban.PieceFailed(1, 3, [new(0, Liar, 1), new(1, Liar, 2), new(2, Liar, 3)]));
        // Part of the piece came from elsewhere (resume data): one peer is not surely at fault.
        Assert.Null(ban.PieceFailed(2, 3, [new(0, Liar, 1), new(1, Liar, 2)]));
    }

    [Fact]
    public void Evidence_from_repeated_failures_is_kept_and_every_liar_is_found()
    {
        var ban = new SmartBan();
        ulong[] good = [1, 2];
        ban.PieceFailed(0, 2, [new(0, Honest, 1), new(1, Liar, 66)]);
        ban.PieceFailed(0, 2, [new(0, Other, 77), new(1, Honest, 2)]);

        var culprits = ban.PiecePassed(0, good).Select(c => c.Sender).ToHashSet();

        Assert.Equal([Liar, Other], culprits.OrderBy(s => s.EndPoint.ToString()));
        Assert.Empty(ban.PiecePassed(0, good));
    }

    [Fact]
    public void A_piece_that_passes_with_no_evidence_blames_nobody()
    {
        var ban = new SmartBan();
        ban.PieceFailed(3, 1, [new(0, Liar, 5)]);

        Assert.Empty(ban.PiecePassed(4, [1]));
        Assert.True(ban.HasEvidence(3));
    }

    [Fact]
    public void Evidence_is_bounded_and_the_oldest_piece_is_forgotten_first()
    {
        var ban = new SmartBan(capacity: 2);
        ban.PieceFailed(1, 1, [new(0, Liar, 5)]);
        ban.PieceFailed(2, 1, [new(0, Liar, 5)]);
        ban.PieceFailed(3, 1, [new(0, Liar, 5)]);

        Assert.Equal(2, ban.Count);
        Assert.False(ban.HasEvidence(1));
        Assert.Empty(ban.PiecePassed(1, [1]));
        Assert.Equal([(Liar, 1)], ban.PiecePassed(3, [1]));
    }
}
