using GodotTorrent.Metainfo;

namespace GodotTorrent.Session;

/// <summary>
/// An earlier version of a torrent's content already on this machine, from which a new version
/// reuses every file whose content is known to be identical, so only what changed is downloaded
/// ("patch reuse"; see <see cref="AddTorrentParams.PreviousVersions"/>).
/// </summary>
public sealed class PreviousVersion
{
    private readonly string? _savePath;

    private PreviousVersion(string? savePath, TorrentInfo? torrent, TorrentHandle? handle)
    {
        _savePath = savePath;
        Torrent = torrent;
        Handle = handle;
    }

    /// <summary>The folder the earlier version was saved into (its torrent's save path; a handle's current one).</summary>
    public string SavePath => Handle?.CurrentSavePath ?? _savePath!;

    /// <summary>The earlier version's metadata, when known; without it, candidate files are found by hashing.</summary>
    public TorrentInfo? Torrent { get; }

    /// <summary>The earlier version's handle in this session, when it came from one.</summary>
    public TorrentHandle? Handle { get; }

    /// <summary>An earlier version saved in <paramref name="savePath"/>, described by <paramref name="torrent"/> when known.</summary>
    /// <exception cref="ArgumentException"><paramref name="savePath"/> is empty.</exception>
    public static PreviousVersion FromFolder(string savePath, TorrentInfo? torrent = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(savePath);
        return new PreviousVersion(savePath, torrent, null);
    }

    /// <summary>An earlier version that is (or was) a torrent of this session.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="handle"/> is null.</exception>
    public static PreviousVersion FromHandle(TorrentHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return new PreviousVersion(null, handle.TorrentInfo, handle);
    }
}
