using GodotTorrent.Peers.Protocol;

namespace GodotTorrent.Torrent;

/// <summary>What <see cref="TorrentSwarm"/> needs from the torrent around it.</summary>
internal interface ITorrentSwarmHost
{
    /// <summary>True while the torrent's phase allows requesting blocks.</summary>
    bool MayRequest { get; }

    DateTimeOffset Now { get; }

    void WarnPerformance(string warning);

    void UpdateInterest(PeerConnection peer);

    void ServeUploads(PeerConnection peer);

    void Ban(PeerConnection peer, string reason);
}
