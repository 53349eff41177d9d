using GodotTorrent.Metainfo;

namespace GodotTorrent.Cli.Output;

/// <summary>Builds <see cref="InfoReport"/>s from torrents and magnet links.</summary>
internal static class InfoReports
{
    public static InfoReport FromTorrent(TorrentInfo torrent) => new()
    {
        Kind = "torrent",
        Name = torrent.Name,
        InfoHashV1 = torrent.InfoHashes.V1?.ToHex(),
        InfoHashV2 = torrent.InfoHashes.V2?.ToHex(),
        Version = VersionName(torrent.InfoHashes),
        TotalSize = torrent.TotalSize,
        PieceLength = torrent.PieceLength,
        PieceCount = torrent.PieceCount,
        Private = torrent.IsPrivate,
        Source = torrent.Source,
        Comment = torrent.Comment,
        CreatedBy = torrent.CreatedBy,
        CreationDate = torrent.CreationDate,
        Files = [.. torrent.Files.Select(FromFile)],
        Trackers = torrent.Trackers,
        WebSeeds = torrent.WebSeeds,
        Magnet = torrent.ToMagnet().ToUri(),
    };

    public static InfoReport FromMagnet(MagnetLink magnet) => new()
    {
        Kind = "magnet",
        Name = magnet.DisplayName,
        InfoHashV1 = magnet.InfoHashes.V1?.ToHex(),
        InfoHashV2 = magnet.InfoHashes.V2?.ToHex(),
        Version = VersionName(magnet.InfoHashes),
        TotalSize = magnet.ExactLength,
        PieceLength = null,
        PieceCount = null,
        Private = null,
        Source = null,
        Comment = null,
        CreatedBy = null,
        CreationDate = null,
        Files = null,
        // A magnet link has no tiers: every tracker is tried, as if each were its own tier.
        Trackers = [.. magnet.Trackers.Select(url => (IReadOnlyList<string>)[url])],
        WebSeeds = magnet.WebSeeds,
        Magnet = magnet.ToUri(),
    };

    private static InfoFileReport FromFile(FileEntry file) => new()
    {
        Index = file.Index,
        Path = file.Path,
        Length = file.Length,
        Offset = file.Offset,
        Pad = file.IsPad,
        Executable = (file.Attributes & TorrentFileAttributes.Executable) != 0,
        Hidden = (file.Attributes & TorrentFileAttributes.Hidden) != 0,
        SymlinkTarget = file.SymlinkTarget,
        PiecesRoot = file.PiecesRoot.IsEmpty ? null : Convert.ToHexString(file.PiecesRoot.Span).ToLowerInvariant(),
    };

    private static string VersionName(InfoHashes hashes) =>
        hashes.IsHybrid ? "hybrid" : hashes.V1 is not null ? "v1" : "v2";
}
