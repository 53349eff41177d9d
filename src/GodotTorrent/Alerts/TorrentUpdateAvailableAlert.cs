using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>
/// BEP 46: the publisher of a torrent added from an update channel (a <c>xs=urn:btpk:</c> magnet)
/// put a higher sequence number naming another info-hash. The library does not add the new version;
/// <see cref="NewMagnet"/> is ready for <see cref="TorrentSession.AddTorrentAsync"/>.
/// </summary>
/// <param name="Handle">The torrent that follows the channel (the old version).</param>
/// <param name="OldInfoHash">The followed torrent's info-hash as the DHT knows it (20 bytes, lower-case hex).</param>
/// <param name="NewInfoHash">The new version's info-hash, lower-case hex.</param>
/// <param name="Sequence">The item's new sequence number.</param>
/// <param name="NewMagnet">A magnet of the new version (its <c>xt</c>).</param>
public sealed record TorrentUpdateAvailableAlert(TorrentHandle Handle, string OldInfoHash, string NewInfoHash, long Sequence, string NewMagnet) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "torrent_update_available";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: version {Sequence} available ({NewInfoHash})";
}
