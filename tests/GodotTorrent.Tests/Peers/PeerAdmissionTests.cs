using GodotTorrent.Peers;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Peers;

public sealed class PeerAdmissionTests
{
    private static readonly PeerId Low = new(Enumerable.Repeat((byte)1, PeerId.Length).ToArray());
    private static readonly PeerId High = new(Enumerable.Repeat((byte)9, PeerId.Length).ToArray());

    [Fact]
    public void A_fresh_peer_within_the_limits_is_admitted()
    {
        Assert.Equal(AdmissionOutcome.Admit, PeerAdmission.Decide(Request()).Outcome);
    }

    [Fact]
    public void Refusals_say_why()
    {
        Assert.Equal(ErrorCode.ConnectionClosedLocally, PeerAdmission.Decide(Request() with { TorrentActive = false }).Code);
        Assert.Equal(ErrorCode.SelfConnection, PeerAdmission.Decide(Request() with { TheirPeerId = Low }).Code);
        Assert.Equal(ErrorCode.PeerBanned, PeerAdmission.Decide(Request() with { Banned = true }).Code);
        Assert.Equal(AdmissionOutcome.Refuse, PeerAdmission.Decide(Request() with { Banned = true }).Outcome);
    }

    [Fact]
    public void When_both_sides_dial_at_once_both_ends_keep_the_connection_dialled_by_the_greater_id()
    {
        // We are Low; the peer is High. The connection High dialled is our incoming one.
        var ourEnd = PeerAdmission.Decide(Request() with { Outgoing = false, ExistingOutgoing = true });
        var ourOtherOrder = PeerAdmission.Decide(Request() with { Outgoing = true, ExistingOutgoing = false });
        var theirEnd = PeerAdmission.Decide(Request() with { OurPeerId = High, TheirPeerId = Low, Outgoing = true, ExistingOutgoing = false });

        Assert.Equal(AdmissionOutcome.AdmitReplacingExisting, ourEnd.Outcome);
        Assert.Equal(AdmissionOutcome.Refuse, ourOtherOrder.Outcome);
        Assert.Equal(ErrorCode.DuplicateConnection, ourOtherOrder.Code);
        Assert.Equal(AdmissionOutcome.AdmitReplacingExisting, theirEnd.Outcome);
    }

    [Fact]
    public void A_second_connection_in_the_same_direction_is_a_duplicate()
    {
        var verdict = PeerAdmission.Decide(Request() with { Outgoing = true, ExistingOutgoing = true });

        Assert.Equal(AdmissionOutcome.Refuse, verdict.Outcome);
        Assert.Equal(ErrorCode.DuplicateConnection, verdict.Code);
    }

    [Fact]
    public void A_peer_that_connects_again_from_the_same_address_replaces_its_earlier_incoming_connection()
    {
        var again = PeerAdmission.Decide(Request() with { Outgoing = false, ExistingOutgoing = false, ExistingFromSameAddress = true });
        Assert.Equal(AdmissionOutcome.AdmitReplacingExisting, again.Outcome);
        Assert.Equal(ErrorCode.DuplicateConnection, again.Code);

        // Someone else claiming the peer's id from another address does not push it out.
        var elsewhere = PeerAdmission.Decide(Request() with { Outgoing = false, ExistingOutgoing = false, ExistingFromSameAddress = false });
        Assert.Equal(AdmissionOutcome.Refuse, elsewhere.Outcome);

        // Our own second dial, or a banned peer, replaces nothing.
        Assert.Equal(AdmissionOutcome.Refuse, PeerAdmission.Decide(Request() with { Outgoing = true, ExistingOutgoing = true, ExistingFromSameAddress = true }).Outcome);
        Assert.Equal(AdmissionOutcome.Refuse, PeerAdmission.Decide(Request() with { Outgoing = false, ExistingOutgoing = false, ExistingFromSameAddress = true, Banned = true }).Outcome);
    }

    [Fact]
    public void At_a_limit_a_newcomer_may_make_room_instead_of_being_refused()
    {
        var torrentFull = PeerAdmission.Decide(Request() with { TorrentPeers = 50 });
        var sessionFull = PeerAdmission.Decide(Request() with { SessionPeers = 200 });

        Assert.Equal((AdmissionOutcome.AdmitMakingRoom, ErrorCode.TooManyConnections), (torrentFull.Outcome, torrentFull.Code));
        Assert.Equal((AdmissionOutcome.AdmitMakingRoom, ErrorCode.TooManyConnections), (sessionFull.Outcome, sessionFull.Code));
    }

    [Fact]
    public void One_address_at_its_limit_competes_only_with_its_own_connections()
    {
        Assert.Equal(AdmissionOutcome.Admit, PeerAdmission.Decide(Request() with { AddressPeers = 7, AddressLimit = 8 }).Outcome);
        Assert.Equal(AdmissionOutcome.AdmitMakingRoomForAddress, PeerAdmission.Decide(Request() with { AddressPeers = 8, AddressLimit = 8 }).Outcome);

        // Even with the torrent full, the address's own connections pay for its newcomer.
        Assert.Equal(AdmissionOutcome.AdmitMakingRoomForAddress, PeerAdmission.Decide(Request() with { AddressPeers = 8, AddressLimit = 8, TorrentPeers = 50 }).Outcome);

        // Bans still come first.
        Assert.Equal(AdmissionOutcome.Refuse, PeerAdmission.Decide(Request() with { AddressPeers = 8, AddressLimit = 8, Banned = true }).Outcome);
    }

    private static AdmissionRequest Request() =>
        new(Low, High, Outgoing: true, TorrentActive: true, ExistingOutgoing: null, Banned: false, TorrentPeers: 3, TorrentLimit: 50, SessionPeers: 3, SessionLimit: 200);
}
