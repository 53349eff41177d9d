using System.Buffers;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// What every backend shares: range checks, the layout walk, zeros for pad and gap bytes, and
/// the part-file rules for skipped files (as libtorrent: bytes of a skipped file that arrive
/// with a piece it shares with wanted files are kept aside, never creating the file, and are
/// moved into place when the file is enabled). Backends supply file and part primitives.
/// </summary>
internal abstract class StorageCore : IPieceStorage
{
    private readonly string[] _paths;
    private readonly bool[] _usePart;
    private int _emptyFilesCreated;

    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? t_parts;

    protected StorageCore(TorrentInfo torrent, string savePath)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentNullException.ThrowIfNull(savePath);
        Torrent = torrent;
        SavePath = savePath;
        Layout = new PieceLayout(torrent);
        _paths = torrent.Files.Select(f => f.Path).ToArray();
        _usePart = new bool[torrent.Files.Count];
        Priorities = Enumerable.Repeat(Priority.Normal, torrent.Files.Count).ToArray();
    }

    public TorrentInfo Torrent { get; }

    public string SavePath { get; protected set; }

    public PieceLayout Layout { get; }

    protected Priority[] Priorities { get; }

    public async ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int covered = 0;
        foreach (var slice in Layout.GetSlices(piece, offset, buffer.Length))
        {
            var target = buffer.Slice(slice.BufferOffset, slice.Length);
            if (_usePart[slice.FileIndex])
            {
                await ReadPartAsync(piece, offset + slice.BufferOffset, target, slice.FileIndex, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReadFileAsync(slice.FileIndex, slice.FileOffset, target, cancellationToken).ConfigureAwait(false);
            }

            covered += slice.Length;
        }

        if (covered != buffer.Length)
        {
            ZeroGaps(piece, offset, buffer.Span);
        }
    }

    /// <summary>See <see cref="IBlockingPieceReads"/>: false when the backend cannot or a slice is in the part file.</summary>
    public bool TryReadBlocking(int piece, int offset, Span<byte> buffer)
    {
        if (!CanReadBlocking)
        {
            return false;
        }

        var slices = Layout.GetSlices(piece, offset, buffer.Length);
        foreach (var slice in slices)
        {
            if (_usePart[slice.FileIndex])
            {
                return false;
            }
        }

        int covered = 0;
        foreach (var slice in slices)
        {
            ReadFileBlocking(slice.FileIndex, slice.FileOffset, buffer.Slice(slice.BufferOffset, slice.Length));
            covered += slice.Length;
        }

        if (covered != buffer.Length)
        {
            ZeroGaps(piece, offset, buffer);
        }

        return true;
    }

    /// <summary>See <see cref="IVectoredPieceWrites"/>: false when the backend cannot or a slice is in the part file.</summary>
    public bool TryWriteBlocking(int piece, int offset, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (!CanWriteBlocking)
        {
            return false;
        }

        if (Volatile.Read(ref _emptyFilesCreated) == 0)
        {
            // The caller may block (that is this method's contract); on disk this completes at once anyway.
            var created = CreateEmptyFilesAsync(CancellationToken.None);
            if (!created.IsCompletedSuccessfully)
            {
                created.AsTask().GetAwaiter().GetResult();
            }
        }

        long total = TotalLength(blocks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(total, int.MaxValue, nameof(blocks));
        var slices = Layout.GetSlices(piece, offset, (int)total);
        foreach (var slice in slices)
        {
            if (_usePart[slice.FileIndex])
            {
                return false;
            }
        }

        // One list per thread: a run allocates nothing once the worker threads have theirs.
        var parts = t_parts ??= [];
        foreach (var slice in slices)
        {
            parts.Clear();
            GatherRange(blocks, slice.BufferOffset, slice.Length, parts);
            try
            {
                WriteFileBlocking(slice.FileIndex, slice.FileOffset, parts);
            }
            finally
            {
                parts.Clear();
            }
        }

        return true;
    }

    public async ValueTask WriteAsync(int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var slices = Layout.GetSlices(piece, offset, data.Length);
        if (Volatile.Read(ref _emptyFilesCreated) == 0)
        {
            await CreateEmptyFilesAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var slice in slices)
        {
            var source = data.Slice(slice.BufferOffset, slice.Length);
            if (_usePart[slice.FileIndex])
            {
                await WritePartAsync(piece, offset + slice.BufferOffset, source, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteFileAsync(slice.FileIndex, slice.FileOffset, source, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public abstract ValueTask FlushAsync(CancellationToken cancellationToken = default);

    public async ValueTask SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(priorities);
        if (priorities.Count != Priorities.Length)
        {
            throw new ArgumentException($"Expected {Priorities.Length} priorities, got {priorities.Count}.", nameof(priorities));
        }

        var enabled = new List<int>();
        for (int i = 0; i < Priorities.Length; i++)
        {
            var priority = priorities[i];
            if (priority is < Priority.Skip or > Priority.Top)
            {
                throw new ArgumentOutOfRangeException(nameof(priorities), $"Priority {(int)priority} of file {i} is not in 0..7.");
            }

            var old = Priorities[i];
            Priorities[i] = priority;
            if (old != Priority.Skip && priority == Priority.Skip)
            {
                // Bytes already in the file stay there; only a file that does not exist yet is kept out of the folder.
                _usePart[i] = PieceLayout.IsStored(Torrent.Files[i]) && !GetFileState(i).Exists;
            }
            else if (old == Priority.Skip && priority != Priority.Skip)
            {
                enabled.Add(i);
            }
        }

        foreach (int file in enabled)
        {
            if (_usePart[file])
            {
                await ExportPartAsync(file, cancellationToken).ConfigureAwait(false);
                _usePart[file] = false;
            }
        }

        if (enabled.Count > 0)
        {
            await ReleaseUnusedPartsAsync(cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _emptyFilesCreated) != 0)
            {
                Volatile.Write(ref _emptyFilesCreated, 0);
                await CreateEmptyFilesAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public abstract ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    public async ValueTask RenameFileAsync(int fileIndex, string newRelativePath, CancellationToken cancellationToken = default)
    {
        CheckFile(fileIndex);
        ArgumentNullException.ThrowIfNull(newRelativePath);
        string normalized = NormalizeRelative(newRelativePath);
        for (int i = 0; i < _paths.Length; i++)
        {
            if (i != fileIndex && string.Equals(_paths[i], normalized, StringComparison.OrdinalIgnoreCase) && !Torrent.Files[i].IsPad)
            {
                throw new StorageException(ErrorCode.FileExists, $"File {i} already has the path '{normalized}'.", normalized, fileIndex);
            }
        }

        if (normalized == _paths[fileIndex])
        {
            return;
        }

        await RenameOnBackendAsync(fileIndex, _paths[fileIndex], normalized, cancellationToken).ConfigureAwait(false);
        _paths[fileIndex] = normalized;
    }

    public abstract ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default);

    public abstract StorageFileState GetFileState(int fileIndex);

    public string GetFilePath(int fileIndex)
    {
        CheckFile(fileIndex);
        return _paths[fileIndex];
    }

    public abstract ValueTask DisposeAsync();

    protected bool UsesPart(int fileIndex) => _usePart[fileIndex];

    protected void CheckFile(int fileIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fileIndex, _paths.Length);
    }

    // Files a backend owns: stored files plus wanted empty ones (pads and symlinks are never materialised).
    protected bool IsMaterialised(int fileIndex)
    {
        var file = Torrent.Files[fileIndex];
        return !file.IsPad && file.SymlinkTarget is null;
    }

    protected abstract ValueTask ReadFileAsync(int fileIndex, long fileOffset, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="ReadFileBlocking"/> works on this backend.</summary>
    protected virtual bool CanReadBlocking => false;

    /// <summary>As <see cref="ReadFileAsync"/>, on the calling thread (only called when <see cref="CanReadBlocking"/>).</summary>
    protected virtual void ReadFileBlocking(int fileIndex, long fileOffset, Span<byte> buffer) => throw new NotSupportedException();

    protected abstract ValueTask WriteFileAsync(int fileIndex, long fileOffset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="WriteFileBlocking"/> works on this backend.</summary>
    protected virtual bool CanWriteBlocking => false;

    /// <summary>Writes <paramref name="data"/> one after another at <paramref name="fileOffset"/> on the calling thread (only called when <see cref="CanWriteBlocking"/>).</summary>
    protected virtual void WriteFileBlocking(int fileIndex, long fileOffset, IReadOnlyList<ReadOnlyMemory<byte>> data) => throw new NotSupportedException();

    protected abstract ValueTask CreateEmptyFileAsync(int fileIndex, CancellationToken cancellationToken);

    /// <summary>Reads bytes kept for piece <paramref name="piece"/>; FileMissing when none were kept.</summary>
    protected abstract ValueTask ReadPartAsync(int piece, int pieceOffset, Memory<byte> buffer, int fileIndex, CancellationToken cancellationToken);

    protected abstract ValueTask WritePartAsync(int piece, int pieceOffset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    protected abstract bool HasPart(int piece);

    protected abstract ValueTask FreePartAsync(int piece, CancellationToken cancellationToken);

    protected abstract ValueTask RenameOnBackendAsync(int fileIndex, string oldRelativePath, string newRelativePath, CancellationToken cancellationToken);

    private static string NormalizeRelative(string path)
    {
        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || Path.IsPathRooted(path) || parts.Any(p => p is "." or ".." || p.Contains(':', StringComparison.Ordinal) || p.Contains('\0', StringComparison.Ordinal)))
        {
            throw new StorageException(ErrorCode.InvalidPath, $"'{path}' is not a path inside the save folder.", path);
        }

        return string.Join('/', parts);
    }

    // The parts of consecutive blocks that cover [start, start + length) of their concatenation: a
    // block split by a file boundary (or by pad bytes) contributes a slice to each side.
    /// <summary>The bytes in a list of buffers.</summary>
    protected static long TotalLength(IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        long total = 0;
        for (int i = 0; i < blocks.Count; i++)
        {
            total += blocks[i].Length;
        }

        return total;
    }

    private static void GatherRange(IReadOnlyList<ReadOnlyMemory<byte>> blocks, int start, int length, List<ReadOnlyMemory<byte>> into)
    {
        int end = start + length;
        int position = 0;
        foreach (var block in blocks)
        {
            int blockEnd = position + block.Length;
            if (blockEnd > start && position < end)
            {
                int from = Math.Max(start, position) - position;
                int to = Math.Min(end, blockEnd) - position;
                into.Add(block[from..to]);
            }

            if (blockEnd >= end)
            {
                break;
            }

            position = blockEnd;
        }
    }

    private void ZeroGaps(int piece, int offset, Span<byte> buffer)
    {
        int position = 0;
        foreach (var slice in Layout.GetSlices(piece, offset, buffer.Length))
        {
            buffer[position..slice.BufferOffset].Clear();
            position = slice.BufferOffset + slice.Length;
        }

        buffer[position..].Clear();
    }

    private async ValueTask CreateEmptyFilesAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _emptyFilesCreated, 1) != 0)
        {
            return;
        }

        foreach (var file in Torrent.Files)
        {
            if (file.Length == 0 && IsMaterialised(file.Index) && Priorities[file.Index] != Priority.Skip)
            {
                await CreateEmptyFileAsync(file.Index, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask ExportPartAsync(int fileIndex, CancellationToken cancellationToken)
    {
        var (first, last) = Layout.PiecesOfFile(fileIndex);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Layout.PieceLength);
        try
        {
            for (int piece = first; piece <= last; piece++)
            {
                if (!HasPart(piece))
                {
                    continue;
                }

                foreach (var slice in Layout.GetSlices(piece, 0, Layout.GetPieceSize(piece)))
                {
                    if (slice.FileIndex != fileIndex)
                    {
                        continue;
                    }

                    var chunk = buffer.AsMemory(0, slice.Length);
                    await ReadPartAsync(piece, slice.BufferOffset, chunk, fileIndex, cancellationToken).ConfigureAwait(false);
                    await WriteFileAsync(fileIndex, slice.FileOffset, chunk, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask ReleaseUnusedPartsAsync(CancellationToken cancellationToken)
    {
        for (int piece = 0; piece < Layout.PieceCount; piece++)
        {
            if (!HasPart(piece))
            {
                continue;
            }

            bool needed = false;
            foreach (var slice in Layout.GetSlices(piece, 0, Layout.GetPieceSize(piece)))
            {
                needed |= _usePart[slice.FileIndex];
            }

            if (!needed)
            {
                await FreePartAsync(piece, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
