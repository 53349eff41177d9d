using GodotTorrent.Swarm;

namespace GodotTorrent.Peers.Protocol;

/// <summary>
/// A remote source of pieces as the picker and request scheduling see it: its pieces, the choke
/// and interest state both ways, its rates, and the requests we have out with it. A BitTorrent
/// connection (<see cref="PeerConnection"/>) is one; a web seed can be another, so the
/// scheduling does not care where blocks come from. Engine loop only.
/// </summary>
internal interface IRemotePeer
{
    /// <summary>The key the picker and choker know this source by.</summary>
    int Id { get; }

    bool IsClosed { get; }

    /// <summary>True while we refuse the source's requests.</summary>
    bool AmChoking { get; }

    /// <summary>True while we want pieces the source has.</summary>
    bool AmInterested { get; }

    /// <summary>True while the source refuses our requests.</summary>
    bool PeerChoking { get; }

    bool PeerInterested { get; }

    /// <summary>The pieces the source has, once it said.</summary>
    Bitfield? Have { get; }

    /// <summary>Payload bytes from the source.</summary>
    RateMeter Download { get; }

    /// <summary>Payload bytes to the source.</summary>
    RateMeter Upload { get; }

    /// <summary>How many requests to keep out with the source.</summary>
    RequestQueue? Requests { get; }

    /// <summary>Blocks we asked the source for, by <see cref="PiecePicker.Key"/>, with when we asked.</summary>
    Dictionary<long, (BlockRequest Block, DateTimeOffset Sent)> Outstanding { get; }

    /// <summary>When we last sent the source a request.</summary>
    DateTimeOffset? LastRequest { get; set; }

    void SendRequest(BlockRequest block);

    void SendCancel(BlockRequest block);

    void SendHave(int piece);
}
