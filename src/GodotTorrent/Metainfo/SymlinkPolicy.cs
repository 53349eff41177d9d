namespace GodotTorrent.Metainfo;

/// <summary>What <see cref="TorrentCreator"/> does with symbolic links it meets while walking a folder.</summary>
public enum SymlinkPolicy
{
    /// <summary>Leave every symbolic link out of the torrent (the default: a link can point anywhere).</summary>
    Skip = 0,

    /// <summary>
    /// Hash a link to a regular file as if it were that file, but only when the link's final
    /// target lies inside the folder being shared; links to folders or to anything outside it
    /// are skipped, so nothing outside the folder is ever published and no cycle is possible.
    /// </summary>
    FollowInsideRoot = 1,
}
