using System.Net;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Peers.Protocol;

/// <summary>What <see cref="ExtensionProtocol"/> needs of its torrent. Engine loop only.</summary>
internal interface IExtensionHost
{
    /// <summary>The torrent's metadata; null for a magnet link until it is fetched.</summary>
    TorrentInfo? Torrent { get; }

    /// <summary>The torrent's open connections.</summary>
    IEnumerable<PeerConnection> ConnectedPeers { get; }

    /// <summary>The client name we announce in the extension handshake.</summary>
    string ClientName { get; }

    /// <summary>The port we accept connections on, 0 when we do not listen.</summary>
    int ListenPort { get; }

    /// <summary>True when we tell peers we will not download (seeding, or upload-only mode).</summary>
    bool AdvertiseUploadOnly { get; }

    /// <summary>A peer told us the address it sees us as.</summary>
    void ReportExternalAddress(IPAddress address);
}
