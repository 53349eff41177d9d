using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>A torrent's state changed.</summary>
public sealed record StateChangedAlert(TorrentHandle Handle, TorrentState PreviousState, TorrentState State) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "state_changed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: {PreviousState} -> {State}";
}
