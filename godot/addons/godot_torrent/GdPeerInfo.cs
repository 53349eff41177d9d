#nullable enable
using Godot;
using GodotTorrent.Integration;
using GodotTorrent.Session;

namespace GodotTorrent.Addon;

/// <summary>A connected peer's snapshot for GDScript.</summary>
[GlobalClass]
public partial class GdPeerInfo : RefCounted
{
    /// <summary>Needed by Godot; an empty peer.</summary>
    public GdPeerInfo()
    {
    }

    internal GdPeerInfo(PeerInfo peer) => Peer = peer;

    /// <summary>The library's snapshot (C#).</summary>
    public PeerInfo? Peer { get; }

    /// <summary><c>ip:port</c>.</summary>
    public string Address => Peer is null ? string.Empty : VariantSnapshots.Address(Peer.EndPoint);

    /// <summary>The client, parsed from its peer id.</summary>
    public string Client => Peer?.Client ?? string.Empty;

    /// <summary>How much of the torrent the peer has, 0 to 1.</summary>
    public double Progress => Peer?.Progress ?? 0;

    /// <summary>Bytes per second from the peer.</summary>
    public long DownloadRate => Peer?.DownloadRate ?? 0;

    /// <summary>Bytes per second to the peer.</summary>
    public long UploadRate => Peer?.UploadRate ?? 0;

    /// <summary>Every field (see the library's <c>VariantSnapshots.Peer</c> for the keys).</summary>
    public global::Godot.Collections.Dictionary ToDictionary() =>
        Peer is null ? [] : VariantConvert.ToDictionary(VariantSnapshots.Peer(Peer));
}
