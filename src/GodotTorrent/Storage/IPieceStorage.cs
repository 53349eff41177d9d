using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// Where a torrent's bytes live: reads and writes blocks addressed by (piece, offset) and maps
/// them onto files with a <see cref="PieceLayout"/>. Implement it for a custom backend
/// (an archive, a cloud bucket, memory); <see cref="FileStorage"/> is the default and
/// <see cref="MemoryStorage"/> serves tests and streaming.
/// </summary>
/// <remarks>
/// <para>Threading: <see cref="ReadAsync"/>, <see cref="WriteAsync"/>, <see cref="FlushAsync"/>,
/// <see cref="GetFileState"/> may run concurrently from thread-pool disk tasks. The management
/// operations (<see cref="SetFilePrioritiesAsync"/>, <see cref="MoveAsync"/>,
/// <see cref="RenameFileAsync"/>, <see cref="DeleteFilesAsync"/>, <see cref="IAsyncDisposable.DisposeAsync"/>)
/// are fences: the engine runs each one alone, after outstanding block I/O has finished.</para>
/// <para>Errors: every failure of the backend is a <see cref="StorageException"/> with an
/// <see cref="ErrorCode"/> (<see cref="ErrorCode.DiskFull"/>, <see cref="ErrorCode.AccessDenied"/>,
/// <see cref="ErrorCode.FileMissing"/>, <see cref="ErrorCode.StorageIo"/>...); invalid
/// arguments (a piece out of range) are <see cref="ArgumentOutOfRangeException"/>.</para>
/// <para>Pad bytes (BEP 47) and v2 alignment gaps are never stored: they read as zeros and
/// writes to them are dropped.</para>
/// </remarks>
public interface IPieceStorage : IAsyncDisposable
{
    /// <summary>The torrent whose files this storage holds.</summary>
    TorrentInfo Torrent { get; }

    /// <summary>The folder the torrent's file paths are relative to.</summary>
    string SavePath { get; }

    /// <summary>
    /// Fills <paramref name="buffer"/> with the bytes of <paramref name="piece"/> starting at
    /// <paramref name="offset"/>; the range must lie inside the piece.
    /// </summary>
    /// <exception cref="StorageException">A file is missing or shorter than the range needs (<see cref="ErrorCode.FileMissing"/>), or another disk error.</exception>
    ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="data"/> into <paramref name="piece"/> at <paramref name="offset"/>;
    /// the range must lie inside the piece. Files are created on their first written byte;
    /// bytes of skipped files go to a side store (the part file) until the file is enabled.
    /// </summary>
    /// <exception cref="StorageException">The disk is full, access is denied, or another disk error.</exception>
    ValueTask WriteAsync(int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Makes written data durable (before resume data that claims it is written).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies file priorities (one per file, pad files included). A file going from
    /// <see cref="Priority.Skip"/> to any other priority gets the bytes kept for it in the part
    /// file moved into place.
    /// </summary>
    ValueTask SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves every file of the torrent to <paramref name="newSavePath"/>, reporting bytes
    /// copied. All or nothing: on failure the files stay where they were and any copies are removed.
    /// </summary>
    ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Renames file <paramref name="fileIndex"/> to <paramref name="newRelativePath"/> (relative to the save folder, which it may not leave).</summary>
    ValueTask RenameFileAsync(int fileIndex, string newRelativePath, CancellationToken cancellationToken = default);

    /// <summary>Deletes the torrent's files, its part file and the folders they leave empty; nothing else.</summary>
    ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether file <paramref name="fileIndex"/> exists, its length and last write time.</summary>
    StorageFileState GetFileState(int fileIndex);

    /// <summary>The path of file <paramref name="fileIndex"/> relative to <see cref="SavePath"/> ('/' separators), after any rename.</summary>
    string GetFilePath(int fileIndex);
}
