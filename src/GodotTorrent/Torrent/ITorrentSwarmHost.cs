using GodotTorrent.Peers.Protocol;
using GodotTorrent.Swarm;

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

    /// <summary>Smart ban's verdict on a sender of bad data: proven bans; otherwise a strike on its address.</summary>
    void BlameForBadData(BlockSender sender, bool proven, string reason);

    /// <summary>A piece made only of <paramref name="seed"/>'s data failed its hash check.</summary>
    void WebSeedPieceFailed(WebSeeds.WebSeedPeer seed, int piece);
}
