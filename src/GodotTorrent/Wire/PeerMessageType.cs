namespace GodotTorrent.Wire;

/// <summary>
/// Peer message ids: BEP 3 (0-8), the DHT port (9, BEP 5), the fast extension (13-17, BEP 6)
/// the extension protocol (20, BEP 10) and the v2 hash messages (21-23, BEP 52). A keep-alive
/// has no id; it is given 255 here.
/// </summary>
internal enum PeerMessageType : byte
{
    Choke = 0,
    Unchoke = 1,
    Interested = 2,
    NotInterested = 3,
    Have = 4,
    Bitfield = 5,
    Request = 6,
    Piece = 7,
    Cancel = 8,
    Port = 9,
    Suggest = 13,
    HaveAll = 14,
    HaveNone = 15,
    Reject = 16,
    AllowedFast = 17,
    Extended = 20,
    HashRequest = 21,
    Hashes = 22,
    HashReject = 23,

    /// <summary>A zero-length frame; not a wire id.</summary>
    KeepAlive = 255,
}
