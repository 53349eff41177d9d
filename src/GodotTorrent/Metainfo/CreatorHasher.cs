using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace GodotTorrent.Metainfo;

/// <summary>
/// Hashes the piece space of a torrent being created on several threads: SHA-1 per piece (v1)
/// and, from the same read, SHA-256 per 16 KiB block of each file folded into the file's piece
/// layer node or, for a file of at most one piece, its pieces root (v2). The workers fold the
/// merkle trees too, so only the short piece layers are left for one thread. Workers take
/// batches of consecutive pieces so each reads its files mostly sequentially with positional
/// reads into one pooled buffer.
/// </summary>
internal sealed partial class CreatorHasher
{
    private const int Sha1Length = PieceDigest.Sha1Size;
    private const int BatchBytes = 4 * 1024 * 1024;

    private readonly IReadOnlyList<CreatorFile> _files;
    private readonly long[] _fileEnds;
    private readonly int _pieceLength;
    private readonly long _spaceEnd;
    private readonly bool _v1;
    private readonly bool _v2;
    private readonly int _piecesPerBatch;
    private readonly long _totalBytes;
    private readonly IProgress<TorrentCreationProgress>? _progress;
    private readonly object _progressLock = new();
    private long _nextBatch = -1;
    private long _bytesDone;
    private int _piecesDone;

    public CreatorHasher(IReadOnlyList<CreatorFile> files, int pieceLength, long spaceEnd, bool v1, bool v2, IProgress<TorrentCreationProgress>? progress)
    {
        _files = files;
        _fileEnds = files.Select(f => f.End).ToArray();
        _pieceLength = pieceLength;
        _spaceEnd = spaceEnd;
        _v1 = v1;
        _v2 = v2;
        _progress = progress;
        _totalBytes = files.Sum(f => f.Length);
        // With lanes a batch is whole groups of sixteen pieces (a group reads a chunk of each at a time, so its buffer stays at 1 MiB whatever the piece size).
        _piecesPerBatch = HashLanes.IsSupported
            ? Math.Max(1, BatchBytes / pieceLength / LaneGroup.Count) * LaneGroup.Count
            : Math.Max(1, BatchBytes / pieceLength);
        PieceCount = checked((int)((spaceEnd + pieceLength - 1) / pieceLength));
        PieceHashes = v1 ? new byte[checked(PieceCount * Sha1Length)] : [];
        if (v2)
        {
            foreach (var file in files)
            {
                // A file of at most one piece has no piece layer: its one node is its pieces root.
                long nodes = file.Length > pieceLength ? (file.Length + pieceLength - 1) / pieceLength : Math.Min(1, file.Length);
                file.PieceNodes = new byte[checked((int)nodes * MerkleTree.HashSize)];
            }
        }
    }

    public int PieceCount { get; }

    /// <summary>The concatenated SHA-1 piece hashes (v1 and hybrid).</summary>
    public byte[] PieceHashes { get; }

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int count = Math.Max(1, Math.Min(workers, (PieceCount + _piecesPerBatch - 1) / _piecesPerBatch));
        var tasks = new Task[count];
        for (int i = 0; i < count; i++)
        {
            tasks[i] = Task.Factory.StartNew(
                () =>
                {
                    try
                    {
                        Work(failed.Token);
                    }
                    catch
                    {
                        // One failure stops the others instead of letting them hash on.
                        failed.Cancel();
                        throw;
                    }
                },
                failed.Token,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A worker failed and the rest were cancelled: surface the real failure.
            throw tasks.Select(t => t.Exception?.InnerException).First(e => e is not null and not OperationCanceledException)!;
        }
    }

    private void Work(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_pieceLength);
        var reader = new FileReader();
        using var digest = new PieceDigest(_pieceLength, _v1, _v2);
        using var group = HashLanes.IsSupported ? new LaneGroup(this) : null;
        try
        {
            while (true)
            {
                long batch = Interlocked.Increment(ref _nextBatch);
                long first = batch * _piecesPerBatch;
                if (first >= PieceCount)
                {
                    return;
                }

                int last = (int)Math.Min(first + _piecesPerBatch, PieceCount);
                long bytes = 0;
                for (int piece = (int)first; piece < last;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (group is not null && piece + LaneGroup.Count <= last && (long)(piece + LaneGroup.Count) * _pieceLength <= _spaceEnd)
                    {
                        bytes += group.Hash(piece, reader);
                        piece += LaneGroup.Count;
                    }
                    else
                    {
                        bytes += HashPiece(piece, buffer, reader, digest);
                        piece++;
                    }
                }

                Report(bytes, last - (int)first);
            }
        }
        finally
        {
            reader.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Report(long bytes, int pieces)
    {
        // Under the lock so reports leave in increasing order even with many workers.
        lock (_progressLock)
        {
            _bytesDone += bytes;
            _piecesDone += pieces;
            _progress?.Report(new TorrentCreationProgress(_bytesDone, _totalBytes, _piecesDone, PieceCount));
        }
    }

    /// <summary>Hashes one piece; returns how many bytes of file data it held.</summary>
    private long HashPiece(int piece, byte[] buffer, FileReader reader, PieceDigest digest)
    {
        long start = (long)piece * _pieceLength;
        int size = (int)Math.Min(_pieceLength, _spaceEnd - start);
        var span = buffer.AsSpan(0, size);
        long data = ReadSpace(start, span, reader, out var lastFile, out int lastLength);

        // v2 files start on piece boundaries, so a piece holds bytes of one file only, from its start.
        bool v2 = _v2 && lastFile is not null;
        digest.Reset(v2 ? lastLength : 0);
        digest.Append(span);
        if (_v1)
        {
            digest.FinishSha1(PieceHashes.AsSpan(piece * Sha1Length, Sha1Length));
        }

        if (v2)
        {
            FinishNode(piece, lastFile!, digest);
        }

        return data;
    }

    /// <summary>Writes the v2 node of <paramref name="piece"/>, a piece of <paramref name="file"/>, from its leaves in <paramref name="digest"/>.</summary>
    private void FinishNode(int piece, CreatorFile file, PieceDigest digest)
    {
        if (file.Length > _pieceLength)
        {
            long node = (((long)piece * _pieceLength) - file.Offset) / _pieceLength;
            digest.FinishNode(MerkleTree.BlockCount(_pieceLength), file.PieceNodes.AsSpan((int)(node * MerkleTree.HashSize), MerkleTree.HashSize));
        }
        else
        {
            digest.FinishNode(MerkleTree.RoundUpToPowerOfTwo(MerkleTree.BlockCount(file.Length)), file.PieceNodes);
        }
    }

    /// <summary>
    /// Reads the piece space from <paramref name="start"/> into <paramref name="span"/>, zeros where
    /// no file is (pads, the space after the last file); returns how many bytes of file data it
    /// held, and the last file it met with how many of its bytes.
    /// </summary>
    private long ReadSpace(long start, Span<byte> span, FileReader reader, out CreatorFile? lastFile, out int lastLength)
    {
        int size = span.Length;
        int cursor = 0;
        long data = 0;
        lastFile = null;
        lastLength = 0;

        // The first file that ends after the range starts, then every file that begins inside it.
        int index = UpperBound(_fileEnds, start);
        for (; index < _files.Count && _files[index].Offset < start + size; index++)
        {
            var file = _files[index];
            if (file.Length == 0)
            {
                continue;
            }

            long from = Math.Max(start, file.Offset);
            long to = Math.Min(start + size, file.End);
            int at = (int)(from - start);
            int length = (int)(to - from);
            span[cursor..at].Clear();
            reader.Read(file, span.Slice(at, length), from - file.Offset);
            cursor = at + length;
            data += length;
            lastFile = file;
            lastLength = length;
        }

        span[cursor..].Clear();
        return data;
    }

    // Index of the first file whose end is after offset (ends are non-decreasing).
    private static int UpperBound(long[] ends, long offset)
    {
        int lo = 0, hi = ends.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] <= offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>One open file per worker: consecutive pieces mostly come from the same file.</summary>
    private sealed class FileReader : IDisposable
    {
        private CreatorFile? _file;
        private SafeFileHandle? _handle;

        public void Read(CreatorFile file, Span<byte> destination, long offset)
        {
            if (!ReferenceEquals(file, _file))
            {
                _handle?.Dispose();
                _handle = null;
                _file = null;
                _handle = Open(file.FullPath);
                _file = file;
            }

            while (!destination.IsEmpty)
            {
                int read;
                try
                {
                    read = RandomAccess.Read(_handle!, destination, offset);
                }
                catch (IOException ex)
                {
                    throw new TorrentException(ErrorCode.StorageIo, $"Reading {file.FullPath} failed: {ex.Message}", ex);
                }

                if (read == 0)
                {
                    throw new TorrentException(ErrorCode.FileChanged, $"{file.FullPath} became shorter than {file.Length} bytes while it was being hashed.");
                }

                destination = destination[read..];
                offset += read;
            }
        }

        public void Dispose() => _handle?.Dispose();

        private static SafeFileHandle Open(string path)
        {
            try
            {
                return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new TorrentException(ErrorCode.FileMissing, $"{path} disappeared before it was hashed.", ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new TorrentException(ErrorCode.AccessDenied, $"Permission to read {path} was denied.", ex);
            }
            catch (IOException ex)
            {
                throw new TorrentException(ErrorCode.StorageIo, $"Opening {path} failed: {ex.Message}", ex);
            }
        }
    }
}
