using GodotTorrent.Wire;

namespace GodotTorrent.Peers;

/// <summary>The facts <see cref="PeerAdmission"/> decides on, gathered by the torrent on the engine loop.</summary>
/// <param name="OurPeerId">Our peer id.</param>
/// <param name="TheirPeerId">The peer id from the handshake.</param>
/// <param name="Outgoing">We dialled this connection.</param>
/// <param name="TorrentActive">The torrent takes peers now.</param>
/// <param name="ExistingOutgoing">Whether the open connection to the same peer id was dialled by us, or null when there is none.</param>
/// <param name="Banned">The address or peer id is banned.</param>
/// <param name="TorrentPeers">The torrent's connections.</param>
/// <param name="TorrentLimit">The torrent's connection limit.</param>
/// <param name="SessionPeers">The session's connections.</param>
/// <param name="SessionLimit">The session's connection limit.</param>
/// <param name="AddressPeers">The torrent's connections from the same IP address.</param>
/// <param name="AddressLimit">The most connections per torrent from one IP address.</param>
/// <param name="ExistingFromSameAddress">The open connection to the same peer id comes from the newcomer's IP address.</param>
internal readonly record struct AdmissionRequest(
    PeerId OurPeerId,
    PeerId TheirPeerId,
    bool Outgoing,
    bool TorrentActive,
    bool? ExistingOutgoing,
    bool Banned,
    int TorrentPeers,
    int TorrentLimit,
    int SessionPeers,
    int SessionLimit,
    int AddressPeers = 0,
    int AddressLimit = int.MaxValue,
    bool ExistingFromSameAddress = false);
