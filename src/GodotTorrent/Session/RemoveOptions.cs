namespace GodotTorrent.Session;

/// <summary>What removing a torrent also does.</summary>
[Flags]
public enum RemoveOptions
{
    /// <summary>Keep the downloaded files.</summary>
    None = 0,
    /// <summary>Delete the torrent's files (and only those) from the save folder.</summary>
    DeleteFiles = 1,
}
