namespace GodotTorrent.Storage;

/// <summary>
/// A disk error from an <see cref="IPieceStorage"/>: full disk, denied permission, a file that
/// vanished or shrank. Storage never lets a raw <see cref="IOException"/> escape; it wraps it
/// here with the file it concerns.
/// </summary>
public class StorageException : TorrentException
{
    /// <summary>Creates the exception for file <paramref name="fileIndex"/> (-1 when no single file applies) at <paramref name="filePath"/>.</summary>
    public StorageException(ErrorCode errorCode, string message, string? filePath = null, int fileIndex = -1, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
        FilePath = filePath;
        FileIndex = fileIndex;
    }

    /// <summary>The full path of the file or folder involved, or null.</summary>
    public string? FilePath { get; }

    /// <summary>The index of the file in <see cref="Metainfo.TorrentInfo.Files"/>, or -1 (the part file, a folder, or several files).</summary>
    public int FileIndex { get; }
}
