using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Reuse;

/// <summary>
/// One file of an earlier version that a new file may be copied from: a file on disk (a full
/// path already checked to lie inside its version's folder) or, with another storage backend,
/// one file of the earlier torrent's storage. Its torrent entry, when known, gives the cheap
/// rules (pieces roots, aligned piece hashes) something to compare.
/// </summary>
internal sealed class ReuseCandidate
{
    private readonly IPieceStorage? _storage;

    private ReuseCandidate(string relativePath, long length, string? fullPath, IPieceStorage? storage, TorrentInfo? torrent, FileEntry? entry)
    {
        RelativePath = relativePath;
        Length = length;
        FullPath = fullPath;
        _storage = storage;
        Torrent = torrent;
        Entry = entry;
    }

    /// <summary>The path inside its version's folder ('/' separators), for logs and for trying same-named files first.</summary>
    public string RelativePath { get; }

    public long Length { get; }

    /// <summary>The file on disk, or null when it lives in another storage backend.</summary>
    public string? FullPath { get; }

    public TorrentInfo? Torrent { get; }

    public FileEntry? Entry { get; }

    public static ReuseCandidate OnDisk(string relativePath, long length, string fullPath, TorrentInfo? torrent = null, FileEntry? entry = null) =>
        new(relativePath, length, fullPath, null, torrent, entry);

    public static ReuseCandidate InStorage(IPieceStorage storage, FileEntry entry) =>
        new(entry.Path.Replace('\\', '/'), entry.Length, null, storage, storage.Torrent, entry);

    /// <summary>Fills <paramref name="buffer"/> with the file's bytes from <paramref name="offset"/> (the range lies inside the file).</summary>
    /// <exception cref="StorageException">The file went missing or could not be read.</exception>
    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (FullPath is not null)
        {
            await ReadFileAsync(offset, buffer, cancellationToken).ConfigureAwait(true);
            return;
        }

        // Another backend only reads by piece: walk the range piece by piece of the earlier torrent.
        int pieceLength = Torrent!.PieceLength;
        int done = 0;
        while (done < buffer.Length)
        {
            long position = Entry!.Offset + offset + done;
            int inner = (int)(position % pieceLength);
            int chunk = Math.Min(buffer.Length - done, pieceLength - inner);
            await _storage!.ReadAsync((int)(position / pieceLength), inner, buffer.Slice(done, chunk), cancellationToken).ConfigureAwait(true);
            done += chunk;
        }
    }

    private async ValueTask ReadFileAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            using var handle = File.OpenHandle(FullPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
            int done = 0;
            while (done < buffer.Length)
            {
                int read = await RandomAccess.ReadAsync(handle, buffer[done..], offset + done, cancellationToken).ConfigureAwait(true);
                if (read == 0)
                {
                    throw new StorageException(ErrorCode.FileMissing, $"{FullPath} is shorter than it was.", FullPath);
                }

                done += read;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw StorageErrors.Wrap(ex, "read", FullPath!, -1);
        }
    }
}
