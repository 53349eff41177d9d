namespace GodotTorrent.Storage;

/// <summary>How much of one file a check found valid.</summary>
/// <param name="FileIndex">Index in <see cref="Metainfo.TorrentInfo.Files"/>.</param>
/// <param name="Path">The file's path relative to the save folder ('/' separators).</param>
/// <param name="Length">The file's size in the torrent.</param>
/// <param name="ValidBytes">Bytes of the file that lie in valid pieces.</param>
/// <param name="Error">The first disk error other than a missing or short file met while reading it, or null.</param>
public sealed record FileCheckResult(int FileIndex, string Path, long Length, long ValidBytes, StorageException? Error = null)
{
    /// <summary>The fraction of the file that is valid, 0 to 1 (1 for an empty file).</summary>
    public double Progress => Length == 0 ? 1 : (double)ValidBytes / Length;

    /// <summary>True when every byte of the file is in a valid piece.</summary>
    public bool IsComplete => ValidBytes == Length;
}
