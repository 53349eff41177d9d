namespace GodotTorrent.Storage;

/// <summary>
/// The part of a byte range of a piece that lies in one file.
/// </summary>
/// <param name="FileIndex">Index in <see cref="Metainfo.TorrentInfo.Files"/> (never a pad file nor an empty file).</param>
/// <param name="FileOffset">Where the slice starts inside the file.</param>
/// <param name="Length">Number of bytes.</param>
/// <param name="BufferOffset">
/// Where the slice starts relative to the start of the requested range (so a caller's buffer
/// for the range is sliced at this offset); bytes of the range no slice covers are pad or
/// alignment bytes, which read as zeros.
/// </param>
public readonly record struct FileSlice(int FileIndex, long FileOffset, int Length, int BufferOffset);
