namespace GodotTorrent;

/// <summary>
/// Every error the engine reports, shared by exceptions and alerts. Values are grouped in
/// ranges of 100 per area (parse, validation, magnet, storage, session, network, peer,
/// tracker, DHT) so a code tells where it came from.
/// </summary>
public enum ErrorCode
{
    /// <summary>No error.</summary>
    None = 0,

    // Parse (bencoding) errors: 100-199.

    /// <summary>The input ended in the middle of a value.</summary>
    UnexpectedEnd = 100,
    /// <summary>A byte that cannot start or continue a bencoded value.</summary>
    InvalidToken = 101,
    /// <summary>An integer that is not a well-formed decimal.</summary>
    InvalidInteger = 102,
    /// <summary>An integer that does not fit in 64 bits.</summary>
    IntegerOverflow = 103,
    /// <summary>An integer or string length with a leading zero, or <c>-0</c>.</summary>
    NonCanonicalInteger = 104,
    /// <summary>A byte string longer than the input left or the configured limit.</summary>
    StringTooLong = 105,
    /// <summary>Lists and dictionaries nested deeper than the configured limit.</summary>
    DepthExceeded = 106,
    /// <summary>More values than the configured limit.</summary>
    TooManyElements = 107,
    /// <summary>The input is larger than the configured limit.</summary>
    InputTooLarge = 108,
    /// <summary>Bytes follow the top-level value.</summary>
    TrailingData = 109,
    /// <summary>A dictionary key that is not a byte string, or a key that appears twice.</summary>
    InvalidKey = 110,

    // Metainfo validation errors: 200-299.

    /// <summary>A required field is missing.</summary>
    MissingField = 200,
    /// <summary>A field has the wrong type or an impossible value.</summary>
    InvalidField = 201,
    /// <summary>The piece length is not a power of two of at least 16 KiB (v2) or is not positive.</summary>
    InvalidPieceLength = 202,
    /// <summary>The piece hashes do not match the content's size.</summary>
    InvalidPieces = 203,
    /// <summary>A file path is empty, absolute, escapes the save folder or is otherwise unusable.</summary>
    InvalidPath = 204,
    /// <summary>A v2 piece layer does not hash to its file's pieces root.</summary>
    PieceLayerMismatch = 205,
    /// <summary>The meta version is not one this engine understands.</summary>
    UnsupportedMetaVersion = 206,
    /// <summary>The torrent has more files than the configured limit.</summary>
    TooManyFiles = 207,
    /// <summary>The v1 and v2 parts of a hybrid torrent describe different content.</summary>
    HybridMismatch = 208,
    /// <summary>The torrent describes no content to share.</summary>
    EmptyTorrent = 209,

    // Magnet link errors: 300-399.

    /// <summary>The text is not a magnet URI.</summary>
    InvalidMagnet = 300,
    /// <summary>The magnet names no info-hash.</summary>
    MagnetMissingHash = 301,
    /// <summary>An <c>xt</c> hash is malformed.</summary>
    MagnetInvalidHash = 302,
    /// <summary>An <c>x.pe</c> peer address is malformed.</summary>
    MagnetInvalidPeer = 303,
    /// <summary>A <c>so</c> file selection or another parameter value is malformed.</summary>
    MagnetInvalidParameter = 304,

    // Storage errors: 400-499.

    /// <summary>Reading or writing the torrent's files failed.</summary>
    StorageIo = 400,
    /// <summary>The disk is full.</summary>
    DiskFull = 401,
    /// <summary>Permission to a file or folder was denied.</summary>
    AccessDenied = 402,
    /// <summary>A file the torrent needs is missing or shorter than expected.</summary>
    FileMissing = 403,
    /// <summary>A file changed size while it was being read (for example while a torrent was being created from it).</summary>
    FileChanged = 404,
    /// <summary>A file or folder is in the way of a move or rename.</summary>
    FileExists = 405,

    // Session and handle errors: 500-599.

    /// <summary>An operation was given an argument or setting it cannot accept.</summary>
    InvalidArgument = 500,
    /// <summary>The operation was cancelled.</summary>
    Cancelled = 501,
    /// <summary>The torrent handle belongs to a torrent that was removed.</summary>
    InvalidHandle = 502,
    /// <summary>A torrent with the same info-hash is already in the session.</summary>
    DuplicateTorrent = 503,
    /// <summary>The session is not running (not started, or stopped).</summary>
    SessionNotRunning = 504,
    /// <summary>The session was started already.</summary>
    SessionAlreadyRunning = 505,
    /// <summary>A piece was asked for (read) that is not downloaded and verified yet.</summary>
    PieceNotVerified = 510,
    /// <summary>Saved session state is corrupt, truncated or of an unknown version.</summary>
    InvalidSessionState = 506,

    // Network errors: 600-699.

    /// <summary>The session could not listen on an address and port.</summary>
    ListenFailed = 600,
    /// <summary>An outgoing connection failed.</summary>
    ConnectFailed = 601,
    /// <summary>An outgoing connection or handshake took too long.</summary>
    ConnectTimeout = 602,
    /// <summary>The peer closed the connection.</summary>
    ConnectionClosed = 603,
    /// <summary>The peer sent nothing for too long.</summary>
    PeerInactive = 604,
    /// <summary>The connection led back to this session.</summary>
    SelfConnection = 605,
    /// <summary>A second connection to a peer that is already connected.</summary>
    DuplicateConnection = 606,
    /// <summary>The peer is banned.</summary>
    PeerBanned = 607,
    /// <summary>A connection limit was reached.</summary>
    TooManyConnections = 608,
    /// <summary>The session or torrent closed the connection (pause, removal, shutdown).</summary>
    ConnectionClosedLocally = 609,
    /// <summary>The peer is not useful (both sides are seeds, or it was snubbing for too long).</summary>
    PeerNotUseful = 610,
    /// <summary>The encryption policy refused the connection: a plaintext peer where MSE is forced, or MSE where it is disabled.</summary>
    EncryptionRequired = 611,
    /// <summary>The MSE handshake failed: a bad key, verification constant or padding, an unknown torrent, or no crypto method both sides allow.</summary>
    EncryptionHandshakeFailed = 612,
    /// <summary>The peer closed the connection on our MSE handshake: it does not speak MSE (a plaintext retry may follow).</summary>
    EncryptionNotSupported = 613,

    // Peer wire protocol violations: 700-799. The peer is disconnected with this reason.

    /// <summary>The handshake does not name the BitTorrent protocol or is otherwise malformed.</summary>
    InvalidHandshake = 700,
    /// <summary>The handshake names a torrent this side does not have or did not ask for.</summary>
    InfoHashMismatch = 701,
    /// <summary>A message's length prefix exceeds the limit for its type.</summary>
    MessageTooLarge = 702,
    /// <summary>A message has the wrong length for its type or cannot be decoded.</summary>
    InvalidMessage = 703,
    /// <summary>A message names a piece index past the torrent's last piece.</summary>
    InvalidPieceIndex = 704,
    /// <summary>A request, cancel, reject or piece names a block outside its piece or of a forbidden size.</summary>
    InvalidBlock = 705,
    /// <summary>A bitfield has the wrong length or sets bits past the last piece.</summary>
    InvalidBitfield = 706,
    /// <summary>A message that is not allowed at this point or without the extension that defines it.</summary>
    UnexpectedMessage = 707,
    /// <summary>An extension protocol (BEP 10) message is malformed or exceeds its limits.</summary>
    InvalidExtensionMessage = 708,
    /// <summary>A BEP 52 hashes message does not prove the file's pieces root, or is malformed: the peer sent hashes that cannot be right.</summary>
    InvalidHashes = 709,

    // Tracker errors: 800-899. Everything a tracker sends is untrusted; each failure has one of these.

    /// <summary>The tracker answered with a <c>failure reason</c> (BEP 3) or a UDP error action (BEP 15).</summary>
    TrackerFailure = 800,
    /// <summary>The tracker's reply is malformed: not bencoded, missing fields, bad peer lists or packet sizes.</summary>
    InvalidTrackerResponse = 801,
    /// <summary>The tracker's reply is larger than the configured limit.</summary>
    TrackerResponseTooLarge = 802,
    /// <summary>The HTTP tracker answered with a status other than 200.</summary>
    TrackerHttpError = 803,
    /// <summary>The tracker did not answer in time (after every retry, for UDP).</summary>
    TrackerTimeout = 804,
    /// <summary>The tracker could not be reached: name resolution, connection or socket errors.</summary>
    TrackerConnectFailed = 805,
    /// <summary>The HTTP tracker redirected more often than allowed (or in a loop).</summary>
    TrackerTooManyRedirects = 806,
    /// <summary>The tracker URL is malformed or uses a scheme other than http, https or udp.</summary>
    UnsupportedTrackerUrl = 807,
    /// <summary>The tracker has no scrape URL (BEP 48: the announce path does not end in <c>announce</c>).</summary>
    ScrapeNotSupported = 808,

    // DHT errors: 900-999.

    /// <summary>The system refused to send a DHT datagram (no route, buffer full); the query is lost and counts as unanswered.</summary>
    DhtSendFailed = 900,

    /// <summary>A DHT bootstrap node's name could not be resolved (or not in time); the others are still used.</summary>
    DhtBootstrapFailed = 901,

    /// <summary>The DHT could not start (its UDP socket could not be bound); the session runs without it.</summary>
    DhtUnavailable = 902,

    /// <summary>A DHT item (BEP 44) was asked for or put while the DHT is off (<see cref="Session.SessionSettings.EnableDht"/>) or not started.</summary>
    DhtDisabled = 903,

    /// <summary>A BEP 46 magnet's mutable item was not found on the DHT in time, or its value names no info-hash.</summary>
    MutableTorrentNotFound = 904,

    /// <summary>A DHT key pair file (BEP 44 signing key) is unreadable, malformed, or its public key does not match its seed.</summary>
    InvalidKeyFile = 950,

    // Web seed errors (BEP 19): 1000-1099.

    /// <summary>A web seed answered with an HTTP status other than 200 or 206 (the alert carries the status).</summary>
    WebSeedHttpError = 1000,

    /// <summary>A web seed's reply does not match the range asked for: a missing or different <c>Content-Range</c>, a body shorter or longer than asked, or an encoded body.</summary>
    WebSeedBadReply = 1001,

    /// <summary>A web seed answered a request for part of a file with the whole file (it does not honour HTTP ranges).</summary>
    WebSeedRangesNotSupported = 1002,

    /// <summary>A web seed redirected more often than allowed, or in a loop.</summary>
    WebSeedTooManyRedirects = 1003,

    /// <summary>A web seed sent nothing for longer than <see cref="Session.SessionSettings.WebSeedRequestTimeout"/>.</summary>
    WebSeedTimeout = 1004,

    /// <summary>A web seed could not be reached: name resolution, connection, TLS or socket errors.</summary>
    WebSeedConnectFailed = 1005,

    /// <summary>Pieces made only of a web seed's data failed their hash check.</summary>
    WebSeedHashFailed = 1006,

    // Port mapping errors (UPnP IGD, NAT-PMP, PCP): 1100-1199.

    /// <summary>No gateway answered: no UPnP device replied to discovery, or the default gateway did not answer NAT-PMP.</summary>
    GatewayNotFound = 1100,

    /// <summary>The gateway refused the mapping (a SOAP fault, a NAT-PMP or PCP result code other than success).</summary>
    PortMapRefused = 1101,

    /// <summary>The gateway did not answer within the time allowed.</summary>
    GatewayTimeout = 1102,

    /// <summary>The gateway's reply was malformed, too large, or pointed outside the local network.</summary>
    GatewayBadReply = 1103,

    /// <summary>The external port is mapped to another host and no other external port could be had.</summary>
    PortMapConflict = 1104,
}
