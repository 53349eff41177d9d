using System.Net;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Session;

/// <summary>Everything needed to add a torrent to a session: its metadata (or a magnet link) and where to save it.</summary>
public sealed record AddTorrentParams
{
    /// <summary>The torrent's metadata; null for a magnet link whose metadata is still to be fetched.</summary>
    public TorrentInfo? Torrent { get; init; }

    /// <summary>A magnet link, used when <see cref="Torrent"/> is null.</summary>
    public MagnetLink? Magnet { get; init; }

    /// <summary>The folder the torrent's files are saved in (created when needed).</summary>
    public required string SavePath { get; init; }

    /// <summary>A priority per file (0 = skip); missing entries are <see cref="Priority.Normal"/>.</summary>
    public IReadOnlyList<Priority> FilePriorities { get; init; } = [];

    /// <summary>Add the torrent paused.</summary>
    public bool Paused { get; init; }

    /// <summary>
    /// Let the session's queue start and stop the torrent (true by default, as in libtorrent): at
    /// most <see cref="SessionSettings.ActiveDownloads"/> downloads and
    /// <see cref="SessionSettings.ActiveSeeds"/> seeds run at once, the others wait queued.
    /// </summary>
    public bool AutoManaged { get; init; } = true;

    /// <summary>Download pieces in order (for streaming) instead of rarest first.</summary>
    public bool SequentialDownload { get; init; }

    /// <summary>
    /// Fetch the first and last piece of every wanted file early, so a player can read a
    /// video's or archive's header and index before the rest arrives.
    /// </summary>
    public bool FirstAndLastPiecesFirst { get; init; }

    /// <summary>Peers to connect to straight away (a magnet's <c>x.pe</c> peers are added too).</summary>
    public IReadOnlyList<IPEndPoint> Peers { get; init; } = [];

    /// <summary>Resume data saved earlier; validated against the files before it is trusted.</summary>
    public ResumeData? ResumeData { get; init; }

    /// <summary>Upload limit for this torrent in bytes per second; 0 = unlimited.</summary>
    public long UploadRateLimit { get; init; }

    /// <summary>Download limit for this torrent in bytes per second; 0 = unlimited.</summary>
    public long DownloadRateLimit { get; init; }

    /// <summary>
    /// Most peers this torrent connects to at once; 0 = only the session's
    /// <see cref="SessionSettings.MaxConnectionsPerTorrent"/> applies (which also caps this value).
    /// </summary>
    public int MaxConnections { get; init; }

    /// <summary>
    /// This torrent's share ratio limit in percent, overriding <see cref="SessionSettings.ShareRatioLimit"/>
    /// (150 = uploaded 1.5 times the larger of downloaded and the torrent's size; 0 = stop at completion;
    /// negative = no limit even when the session has one); null (the default) = the session's. Kept in
    /// resume data; a value there is used when this is null.
    /// </summary>
    public int? ShareRatioLimit { get; init; }

    /// <summary>
    /// This torrent's seed time limit, overriding <see cref="SessionSettings.SeedTimeLimit"/> (zero = stop at
    /// completion; negative = no limit even when the session has one); null (the default) = the session's.
    /// Kept in resume data; a value there is used when this is null.
    /// </summary>
    public TimeSpan? SeedTimeLimit { get; init; }

    /// <summary>
    /// Earlier versions of this content on this machine: before the first check (not when resume data is
    /// given), every file of this torrent whose content is known to be identical to a file of one of them
    /// is copied into place (cloned where the file system can; never over a file already in the save
    /// folder), then verified by the check, so only what changed is downloaded; a
    /// <see cref="Alerts.FilesReusedAlert"/> follows the check. Empty (the default) = none.
    /// </summary>
    public IReadOnlyList<PreviousVersion> PreviousVersions { get; init; } = [];

    /// <summary>Parameters for a .torrent file's bytes.</summary>
    /// <exception cref="TorrentFormatException">The bytes are not a valid torrent.</exception>
    public static AddTorrentParams FromBytes(ReadOnlySpan<byte> torrent, string savePath) =>
        new() { Torrent = TorrentInfo.Parse(torrent), SavePath = savePath };

    /// <summary>Parameters for a .torrent file on disk.</summary>
    /// <exception cref="TorrentFormatException">The file is not a valid torrent.</exception>
    public static AddTorrentParams FromFile(string torrentPath, string savePath) =>
        new() { Torrent = TorrentInfo.Load(torrentPath), SavePath = savePath };

    /// <summary>Parameters for a magnet link.</summary>
    /// <exception cref="TorrentFormatException">The link is malformed.</exception>
    public static AddTorrentParams FromMagnet(string magnetUri, string savePath) =>
        new() { Magnet = MagnetLink.Parse(magnetUri), SavePath = savePath };
}
