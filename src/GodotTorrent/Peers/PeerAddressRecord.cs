using System.Net;

namespace GodotTorrent.Peers;

/// <summary>
/// What the torrent remembers about one address (or endpoint, where several peers share an
/// address) across connections: the ban today; strikes and smart-ban evidence join it later.
/// </summary>
internal sealed class PeerAddressRecord(IPEndPoint key)
{
    /// <summary>The address with port 0, or the whole endpoint when peers on one address are told apart.</summary>
    public IPEndPoint Key { get; } = key;

    public bool Banned { get; set; }

    public string? BanReason { get; set; }
}
