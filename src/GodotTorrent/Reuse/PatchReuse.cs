using System.Buffers;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Reuse;

/// <summary>
/// Patch reuse: before a new torrent's first check, copies into place every file of it that an
/// earlier version holds with identical content (<see cref="ReuseMatcher"/>), found by content,
/// so renamed and moved files count. Runs off the engine loop, one file after another.
/// </summary>
/// <remarks>
/// Nothing copied is trusted: the torrent's normal check hashes every piece afterwards, so a
/// corrupted or changed earlier file only costs the copy and its pieces are downloaded. A file
/// is only written where the new save folder has nothing yet (never over existing data, which may
/// already be verified); a file already in place with the proven content counts as reused. On disk
/// the copy is <see cref="File.Copy(string, string)"/>, which clones (reflink) on file systems
/// that can (btrfs, XFS, APFS) and copies the bytes elsewhere; never a hard link, which the
/// download would later write through into the earlier version. Other storage backends get the
/// bytes through <see cref="IPieceStorage.WriteAsync"/>.
/// </remarks>
internal sealed class PatchReuse
{
    private const int CopyChunk = 1 << 20;

    private readonly TorrentInfo _torrent;
    private readonly IPieceStorage _storage;
    private readonly IReadOnlyList<Priority> _priorities;
    private readonly bool _onDisk;
    private readonly ILogger _logger;

    /// <param name="torrent">The new torrent.</param>
    /// <param name="storage">Its storage, before anything was written.</param>
    /// <param name="priorities">Its file priorities: skipped files are not created.</param>
    /// <param name="onDisk">True when <paramref name="storage"/> keeps its files on the local disk (the default storage).</param>
    /// <param name="logger">Where what was and was not reused is told.</param>
    public PatchReuse(TorrentInfo torrent, IPieceStorage storage, IReadOnlyList<Priority> priorities, bool onDisk, ILogger logger)
    {
        _torrent = torrent;
        _storage = storage;
        _priorities = priorities;
        _onDisk = onDisk;
        _logger = logger;
    }

    /// <summary>
    /// Finds and copies; returns which of the new torrent's files were reused (copied, or already
    /// in place). <paramref name="storageFactory"/> opens earlier versions when the files are not on disk.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the torrent was removed).</exception>
    public async Task<bool[]> RunAsync(IReadOnlyList<(string SavePath, TorrentInfo? Torrent)> versions, IPieceStorageFactory storageFactory, CancellationToken cancellationToken)
    {
        var reused = new bool[_torrent.Files.Count];
        var sources = ReuseSources.Gather(versions, _onDisk ? null : storageFactory, _logger, cancellationToken);
        await using (sources.ConfigureAwait(true))
        {
            using var matcher = new ReuseMatcher(_torrent);
            string root = SafePaths.Root(_storage.SavePath);
            foreach (var file in _torrent.Files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!PieceLayout.IsStored(file) || _priorities[file.Index] == Priority.Skip)
                {
                    continue;
                }

                try
                {
                    reused[file.Index] = await ReuseFileAsync(file, root, sources, matcher, cancellationToken).ConfigureAwait(true);
                }
                catch (Exception ex) when (ex is StorageException or IOException or UnauthorizedAccessException)
                {
                    // One unreadable earlier file or failed copy only means this file is downloaded.
                    _logger.LogWarning(ex, "File {Path} of {Torrent} is not reused", file.Path, _torrent.Name);
                }
            }
        }

        return reused;
    }

    private async Task<bool> ReuseFileAsync(FileEntry file, string root, ReuseSources sources, ReuseMatcher matcher, CancellationToken cancellationToken)
    {
        string relative = _storage.GetFilePath(file.Index);
        string? destination = _onDisk ? SafePaths.Resolve(root, relative) : null;
        bool occupied = destination is not null ? File.Exists(destination) || Directory.Exists(destination) : _storage.GetFileState(file.Index).Exists;
        foreach (var candidate in sources.OfLength(file.Length, file.Path.Replace('\\', '/')))
        {
            bool inPlace = destination is not null && candidate.FullPath is not null && SafePaths.SamePath(candidate.FullPath, destination);
            if (occupied && !inPlace)
            {
                continue;
            }

            if (!await matcher.MatchesAsync(file, candidate, cancellationToken).ConfigureAwait(true))
            {
                continue;
            }

            if (!inPlace)
            {
                await CopyAsync(file, candidate, destination, cancellationToken).ConfigureAwait(true);
            }

            _logger.LogDebug("Reused {Path} from {Candidate} (by {Rule})", relative, candidate.RelativePath, matcher.LastRule);
            return true;
        }

        return false;
    }

    private async Task CopyAsync(FileEntry file, ReuseCandidate candidate, string? destination, CancellationToken cancellationToken)
    {
        if (destination is not null && candidate.FullPath is not null)
        {
            CopyOnDisk(candidate.FullPath, destination);
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyChunk);
        try
        {
            int pieceLength = _torrent.PieceLength;
            for (long done = 0; done < file.Length;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long position = file.Offset + done;
                int inner = (int)(position % pieceLength);
                int chunk = (int)Math.Min(Math.Min(file.Length - done, CopyChunk), pieceLength - inner);
                var data = buffer.AsMemory(0, chunk);
                await candidate.ReadAsync(done, data, cancellationToken).ConfigureAwait(true);
                await _storage.WriteAsync((int)(position / pieceLength), inner, data, cancellationToken).ConfigureAwait(true);
                done += chunk;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Copied beside the destination under a temporary name and moved into place without
    // overwriting, so an interrupted copy never leaves a half file under the real name.
    private static void CopyOnDisk(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        string temporary = destination + ".reuse-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            File.Copy(source, temporary);
            File.Move(temporary, destination, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
