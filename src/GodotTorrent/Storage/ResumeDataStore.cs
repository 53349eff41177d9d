using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// Saves resume data atomically and loads it with validation: the loaded data is compared with
/// the torrent and the files on disk, and anything doubtful is checked again instead of trusted.
/// </summary>
public static class ResumeDataStore
{
    /// <summary>Largest resume file read (a corrupt or hostile file is not read whole into memory).</summary>
    public const long MaxFileSize = 128L * 1024 * 1024;

    /// <summary>
    /// Writes <paramref name="data"/> to <paramref name="path"/> atomically: a temporary file in the
    /// same folder is written, flushed to the disk, then renamed over the old file, so a crash or
    /// power cut leaves either the old resume data or the new one, never a torn file.
    /// </summary>
    /// <exception cref="StorageException">The file could not be written; the old file is untouched.</exception>
    public static Task SaveAsync(string path, ResumeData data, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return WriteAtomicAsync(path, ResumeDataSerializer.Encode(data), null, cancellationToken);
    }

    /// <summary>
    /// Loads resume data from <paramref name="path"/> and validates it against
    /// <paramref name="torrent"/> and <paramref name="storage"/> (with renames already applied).
    /// Never throws for bad resume data: a missing, truncated, corrupt or foreign file gives
    /// <see cref="ResumeValidation.FullCheckRequired"/> with the reason.
    /// </summary>
    public static async Task<ResumeValidation> LoadAsync(string path, TorrentInfo torrent, IPieceStorage storage, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentNullException.ThrowIfNull(storage);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return FullCheck(torrent, ErrorCode.FileMissing, $"No resume data at {path}.");
            }

            if (info.Length > MaxFileSize)
            {
                return FullCheck(torrent, ErrorCode.InputTooLarge, $"Resume data {path} is larger than {MaxFileSize} bytes.");
            }

            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FullCheck(torrent, ErrorCode.StorageIo, $"Resume data {path} could not be read: {ex.Message}");
        }

        return Validate(bytes, torrent, storage);
    }

    /// <summary>Decodes and validates resume data held in memory (see <see cref="LoadAsync"/>).</summary>
    public static ResumeValidation Validate(ReadOnlySpan<byte> bytes, TorrentInfo torrent, IPieceStorage storage)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        ResumeData data;
        try
        {
            data = ResumeDataSerializer.Decode(bytes);
        }
        catch (TorrentFormatException ex)
        {
            return FullCheck(torrent, ex.ErrorCode, $"Resume data is corrupt: {ex.Message}");
        }

        return Validate(data, torrent, storage);
    }

    /// <summary>
    /// Validates decoded resume data: it must be of this torrent with matching counts; the pieces
    /// of every file whose existence, size or modification time differs from what was recorded
    /// are taken out of the trusted set (and their partial blocks dropped) to be checked again.
    /// </summary>
    public static ResumeValidation Validate(ResumeData data, TorrentInfo torrent, IPieceStorage storage)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentNullException.ThrowIfNull(storage);
        if (!SameTorrent(data.InfoHashes, torrent.InfoHashes))
        {
            return FullCheck(torrent, ErrorCode.InvalidArgument, $"Resume data is for torrent {data.InfoHashes}, not {torrent.InfoHashes}.", data);
        }

        if (data.Pieces.Count != torrent.PieceCount || data.Files.Count != torrent.Files.Count
            || (data.FilePriorities.Count != 0 && data.FilePriorities.Count != torrent.Files.Count))
        {
            return FullCheck(torrent, ErrorCode.InvalidField, "Resume data's piece or file counts do not match the torrent.", data);
        }

        var layout = new PieceLayout(torrent);
        foreach (var (piece, blocks) in data.PartialPieces)
        {
            if (piece >= torrent.PieceCount || blocks.Count != ResumeDataSerializer.BlockCount(layout.GetPieceSize(piece)))
            {
                return FullCheck(torrent, ErrorCode.InvalidField, $"Resume data's blocks of piece {piece} do not match the torrent.", data);
            }
        }

        var trusted = data.Pieces.Clone();
        var toCheck = new Bitfield(torrent.PieceCount);
        var partial = new Dictionary<int, Bitfield>(data.PartialPieces);
        var reasons = new List<string>();
        foreach (var file in torrent.Files)
        {
            if (!PieceLayout.IsStored(file))
            {
                continue;
            }

            var recorded = data.Files[file.Index];
            var actual = storage.GetFileState(file.Index);
            // A file missing now cannot hold pieces, whatever was recorded.
            string? reason = Compare(recorded, actual) ?? (actual.Exists ? null : "is missing");
            if (reason is null)
            {
                continue;
            }

            bool claimed = false;
            for (int piece = file.FirstPiece; piece <= file.LastPiece; piece++)
            {
                // Only pieces claimed (fully or in part) need hashing; the others were never ours.
                if (trusted[piece] || partial.ContainsKey(piece))
                {
                    toCheck[piece] = true;
                    claimed = true;
                }

                trusted[piece] = false;
                partial.Remove(piece);
            }

            if (claimed)
            {
                reasons.Add($"File {file.Index} ({storage.GetFilePath(file.Index)}) {reason}: its pieces are checked again.");
            }
        }

        return new ResumeValidation(data, trusted, toCheck, partial, false, ErrorCode.None, reasons);
    }

    /// <summary>The state of every file of <paramref name="storage"/>, for <see cref="ResumeData.Files"/>; take it after flushing.</summary>
    public static IReadOnlyList<StorageFileState> CaptureFileStates(IPieceStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return Enumerable.Range(0, storage.Torrent.Files.Count).Select(storage.GetFileState).ToArray();
    }

    /// <summary>The atomic write; <paramref name="wrap"/> lets tests put a failing stream in the way.</summary>
    internal static async Task WriteAtomicAsync(string path, ReadOnlyMemory<byte> bytes, Func<Stream, Stream>? wrap, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        // Same folder, so the rename never crosses file systems and stays atomic.
        string temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            Directory.CreateDirectory(folder);
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var stream = wrap?.Invoke(file) ?? file;
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                // Durable before the rename: otherwise a power cut can leave the new name on empty data.
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            TryDelete(temp);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw new StorageException(ex is UnauthorizedAccessException ? ErrorCode.AccessDenied : ErrorCode.StorageIo, $"Saving resume data to {full} failed: {ex.Message}", full, -1, ex);
        }
    }

    private static string? Compare(StorageFileState recorded, StorageFileState actual)
    {
        if (recorded.Exists != actual.Exists)
        {
            return actual.Exists ? "appeared" : "is missing";
        }

        if (!actual.Exists)
        {
            return null;
        }

        if (recorded.Length != actual.Length)
        {
            return $"has {actual.Length} bytes, not {recorded.Length}";
        }

        // An unknown time on either side cannot vouch for the file.
        return recorded.LastWriteTimeUtc is { } was && actual.LastWriteTimeUtc is { } now && was == now ? null : "was modified";
    }

    private static bool SameTorrent(InfoHashes a, InfoHashes b) => a.V1 == b.V1 && a.V2 == b.V2;

    private static ResumeValidation FullCheck(TorrentInfo torrent, ErrorCode error, string reason, ResumeData? data = null) =>
        new(data, new Bitfield(torrent.PieceCount), new Bitfield(torrent.PieceCount, true), new Dictionary<int, Bitfield>(), true, error, [reason]);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The temporary file is harmless; the caller's error matters more.
        }
    }
}
