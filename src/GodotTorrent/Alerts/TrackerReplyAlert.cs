using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A tracker answered an announce with <paramref name="PeerCount"/> peers.</summary>
public sealed record TrackerReplyAlert(TorrentHandle Handle, string Url, int PeerCount) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "tracker_reply";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Tracker;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: {Url} replied with {PeerCount} peers";
}
