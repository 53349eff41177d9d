using GodotTorrent.Metainfo;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Session;
using GodotTorrent.Swarm;

namespace GodotTorrent.WebSeeds;

/// <summary>The torrent's side of its web seeds. Engine loop only.</summary>
internal interface IWebSeedHost
{
    TorrentHandle Handle { get; }

    TorrentInfo? Torrent { get; }

    PiecePicker? Picker { get; }

    /// <summary>True while the torrent downloads and may ask web seeds (not paused, complete, upload-only or stopped).</summary>
    bool WantsWebSeeds { get; }

    /// <summary>The torrent's web seed URLs now.</summary>
    IReadOnlyList<string> WebSeedUrls { get; }

    RequestScheduler Requests { get; }

    /// <summary>Sends the source as many requests as the budgets allow.</summary>
    void Refill(IRemotePeer source);

    /// <summary>A block from a web seed, through the normal piece path; the buffer is the callee's.</summary>
    void OnBlock(WebSeedPeer seed, BlockRequest block, byte[] buffer);
}
