using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Integration;

/// <summary>
/// BEP 46 update channels for a game: which torrents follow a channel, the newest version each
/// channel announced (<see cref="TorrentUpdateAvailableAlert"/>), and which downloads are updates
/// of which installed version, so "update ready" can be told apart from any torrent finishing.
/// Holds at most one entry of each kind per torrent in the session; <see cref="Forget"/> drops a
/// removed torrent's. Not thread-safe: one thread (Godot's main thread).
/// </summary>
public sealed class UpdateTracker
{
    private readonly Dictionary<TorrentHandle, string> _channels = [];
    private readonly Dictionary<TorrentHandle, TorrentUpdateAvailableAlert> _available = [];
    private readonly Dictionary<TorrentHandle, TorrentHandle> _updates = [];

    /// <summary>Torrents with an announced version not downloaded yet.</summary>
    public int AvailableCount => _available.Count;

    /// <summary>A magnet of a channel (BEP 46 <c>xs=urn:btpk:</c>): a 64-hex-digit public key and a salt (may be empty).</summary>
    /// <exception cref="TorrentException"><see cref="ErrorCode.InvalidArgument"/> for a malformed key.</exception>
    public static string ChannelMagnet(string publicKeyHex, string salt, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(salt);
        byte[] key;
        try
        {
            key = Convert.FromHexString(publicKeyHex ?? string.Empty);
        }
        catch (FormatException e)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"A channel's public key is 64 hex digits, not '{publicKeyHex}'.", e);
        }

        if (key.Length != 32)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"A channel's public key is 64 hex digits, not '{publicKeyHex}'.");
        }

        return Metainfo.MagnetLink.CreateMutable(key, System.Text.Encoding.UTF8.GetBytes(salt), name).ToUri();
    }

    /// <summary>Records that <paramref name="handle"/> follows the channel of <paramref name="channelMagnet"/>.</summary>
    public void Follow(TorrentHandle handle, string channelMagnet)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentException.ThrowIfNullOrEmpty(channelMagnet);
        _channels[handle] = channelMagnet;
    }

    /// <summary>The channel magnet <paramref name="handle"/> follows, or null.</summary>
    public string? ChannelOf(TorrentHandle handle) => _channels.GetValueOrDefault(handle);

    /// <summary>Keeps the newest announced version of <paramref name="alert"/>'s torrent (a lower sequence never replaces a higher one).</summary>
    public void Offer(TorrentUpdateAvailableAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!_available.TryGetValue(alert.Handle, out var known) || known.Sequence < alert.Sequence)
        {
            _available[alert.Handle] = alert;
        }
    }

    /// <summary>The newest version announced for <paramref name="installed"/> and not downloaded yet, or null.</summary>
    public TorrentUpdateAvailableAlert? Available(TorrentHandle installed) => _available.GetValueOrDefault(installed);

    /// <summary>Records that <paramref name="update"/> downloads the new version of <paramref name="installed"/>.</summary>
    public void Started(TorrentHandle installed, TorrentHandle update)
    {
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(update);
        _available.Remove(installed);
        _updates[update] = installed;
        if (_channels.TryGetValue(installed, out var channel))
        {
            _channels.TryAdd(update, channel);
        }
    }

    /// <summary>When <paramref name="finished"/> is an update download, the version it updates (and it is no longer tracked as one); otherwise null.</summary>
    public TorrentHandle? Finished(TorrentHandle finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        return _updates.Remove(finished, out var installed) ? installed : null;
    }

    /// <summary>Drops everything about <paramref name="handle"/> (a removed torrent).</summary>
    public void Forget(TorrentHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _channels.Remove(handle);
        _available.Remove(handle);
        _updates.Remove(handle);
    }
}
