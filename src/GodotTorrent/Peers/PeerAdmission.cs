namespace GodotTorrent.Peers;

/// <summary>Whether a handshaken connection becomes a peer: the torrent's state, self connections, duplicates, bans and limits.</summary>
internal static class PeerAdmission
{
    public static AdmissionVerdict Decide(in AdmissionRequest request)
    {
        // Peers may connect while the files are checked; they hear our pieces once the check is done.
        if (!request.TorrentActive)
        {
            return AdmissionVerdict.Refuse(ErrorCode.ConnectionClosedLocally, "the torrent is not active");
        }

        if (request.TheirPeerId == request.OurPeerId)
        {
            return AdmissionVerdict.Refuse(ErrorCode.SelfConnection, "the connection led back to ourselves");
        }

        if (request.ExistingOutgoing is { } existingOutgoing)
        {
            // The peer dialled us again from the same address while we still hold its earlier
            // connection: it has given that one up (libtorrent drops a timed-out uTP connection
            // without a word, and a NAT may forget a TCP one), so the new one replaces it.
            if (!existingOutgoing && !request.Outgoing && request.ExistingFromSameAddress && !request.Banned)
            {
                return new AdmissionVerdict(AdmissionOutcome.AdmitReplacingExisting, ErrorCode.DuplicateConnection, "the peer connected again; its earlier connection is dropped");
            }

            // Both sides dialled at once, so each end holds two connections. Both ends keep the one
            // dialled by the greater peer id; closing "the second one" at each end could close both.
            return existingOutgoing != request.Outgoing && DialledByGreaterId(request)
                ? new AdmissionVerdict(AdmissionOutcome.AdmitReplacingExisting, ErrorCode.DuplicateConnection, "both sides dialled; the other connection is kept")
                : AdmissionVerdict.Refuse(ErrorCode.DuplicateConnection, "already connected to this peer");
        }

        if (request.Banned)
        {
            return AdmissionVerdict.Refuse(ErrorCode.PeerBanned, "the peer is banned");
        }

        // One address must not take every slot: its newcomers compete only with its own connections.
        if (request.AddressPeers >= request.AddressLimit)
        {
            return new AdmissionVerdict(AdmissionOutcome.AdmitMakingRoomForAddress, ErrorCode.TooManyConnections, "too many connections from this address");
        }

        // At a limit a stranger may still replace a connection that is of no use (libtorrent does the same).
        if (request.TorrentPeers >= request.TorrentLimit || request.SessionPeers >= request.SessionLimit)
        {
            return new AdmissionVerdict(AdmissionOutcome.AdmitMakingRoom, ErrorCode.TooManyConnections, "connection limit reached");
        }

        return AdmissionVerdict.Admit;
    }

    // True when this connection was dialled by whichever of the two peers has the greater id.
    private static bool DialledByGreaterId(in AdmissionRequest request)
    {
        Span<byte> ours = stackalloc byte[Wire.PeerId.Length];
        Span<byte> theirs = stackalloc byte[Wire.PeerId.Length];
        request.OurPeerId.CopyTo(ours);
        request.TheirPeerId.CopyTo(theirs);
        return request.Outgoing == ours.SequenceCompareTo(theirs) > 0;
    }
}
