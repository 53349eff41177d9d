#nullable enable
using System;
using System.Threading.Tasks;
using GodotTorrent.Integration;
using GodotTorrent.Session;

namespace GodotTorrent.Addon;

// BEP 46 update channels: follow a publisher's channel, hear of new versions, download one reusing the installed files.
public partial class TorrentSessionNode
{
    /// <summary>
    /// Follows a publisher's update channel (BEP 46; needs the <c>enable_dht</c> setting): adds the
    /// version it currently names and emits <c>UpdateAvailable</c> when it names a newer one.
    /// <paramref name="publicKeyHex"/> is the publisher's 64-hex-digit public key (<c>gdtorrent keygen</c>).
    /// </summary>
    public GdTorrentHandle? FollowChannel(string publicKeyHex, string salt = "", string savePath = "")
    {
        try
        {
            UpdateTracker.ChannelMagnet(publicKeyHex, salt); // a malformed key fails here, before anything starts
            return Pending("follow_channel", null, salt, FollowChannelAsync(publicKeyHex, salt, savePath));
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report("follow_channel", e);
            return null;
        }
    }

    /// <summary>
    /// Downloads the newest version announced for the installed torrent <paramref name="infoHash"/>
    /// (after <c>UpdateAvailable</c>), reusing every file it shares with the installed one so only
    /// what changed is downloaded; <c>UpdateReady</c> tells when it is complete. Empty save path =
    /// <c>&lt;download folder&gt;/updates/&lt;new info-hash&gt;</c>. Null (and <c>OperationFailed</c>) when no update is known.
    /// </summary>
    public GdTorrentHandle? DownloadUpdate(string infoHash, string savePath = "")
    {
        try
        {
            var installed = Find(infoHash);
            var update = _updates.Available(installed) ?? throw new TorrentException(ErrorCode.InvalidArgument, $"No new version of {infoHash} was announced.");
            var magnet = Metainfo.MagnetLink.Parse(update.NewMagnet);
            return Pending("download_update", magnet.InfoHashes, installed.Name, DownloadUpdateAsync(installed, savePath));
        }
        catch (Exception e) when (IsReportable(e))
        {
            Report("download_update", e);
            return null;
        }
    }

    /// <summary>Follows a channel (see <see cref="FollowChannel"/>).</summary>
    public async Task<TorrentHandle> FollowChannelAsync(string publicKeyHex, string salt = "", string savePath = "")
    {
        string magnet = UpdateTracker.ChannelMagnet(publicKeyHex, salt);
        var handle = await AddTorrentAsync(AddTorrentParams.FromMagnet(magnet, ResolveSavePath(savePath))).ConfigureAwait(true);
        _updates.Follow(handle, magnet);
        return handle;
    }

    /// <summary>Downloads the announced new version of <paramref name="installed"/> with patch reuse (see <see cref="DownloadUpdate"/>).</summary>
    public async Task<TorrentHandle> DownloadUpdateAsync(TorrentHandle installed, string savePath = "")
    {
        ArgumentNullException.ThrowIfNull(installed);
        var update = _updates.Available(installed) ?? throw new TorrentException(ErrorCode.InvalidArgument, $"No new version of {installed.Name} was announced.");
        string folder = string.IsNullOrEmpty(savePath) ? System.IO.Path.Combine(ResolveSavePath(string.Empty), "updates", update.NewInfoHash) : ResolveSavePath(savePath);
        var parameters = AddTorrentParams.FromMagnet(update.NewMagnet, folder) with { PreviousVersions = [PreviousVersion.FromHandle(installed)] };
        var handle = await AddTorrentAsync(parameters).ConfigureAwait(true);
        _updates.Started(installed, handle);
        return handle;
    }
}
