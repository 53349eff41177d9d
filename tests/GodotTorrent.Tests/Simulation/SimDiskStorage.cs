using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Simulation;

/// <summary>One torrent's storage on a <see cref="SimDisk"/>: memory storage behind the disk's space limit and failures.</summary>
internal sealed class SimDiskStorage(SimDisk disk, MemoryStorage inner) : IPieceStorage
{
    private readonly HashSet<(int Piece, int Offset)> _written = [];

    public TorrentInfo Torrent => inner.Torrent;

    public string SavePath => inner.SavePath;

    public ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        disk.ReadObserved?.Invoke(piece, offset, buffer.Length);
        var read = inner.ReadAsync(piece, offset, buffer, cancellationToken);
        return disk.CorruptRead is { } corrupt && CorruptBlocks(piece, offset, buffer.Length, corrupt) is { Count: > 0 } blocks
            ? CorruptAsync(read, buffer, blocks)
            : read;
    }

    public ValueTask WriteAsync(int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (disk.FailWrite?.Invoke(piece, offset) == true)
        {
            disk.FailedWrites++;
            return ValueTask.FromException(new StorageException(ErrorCode.StorageIo, "Injected write failure.", SavePath));
        }

        if (!_written.Contains((piece, offset)))
        {
            if (disk.Used + data.Length > disk.Capacity)
            {
                disk.FailedWrites++;
                return ValueTask.FromException(new StorageException(ErrorCode.DiskFull, "No space left on the simulated disk.", SavePath));
            }

            disk.Used += data.Length;
            _written.Add((piece, offset));
        }

        return disk.WriteDelay > TimeSpan.Zero ? WriteSlowlyAsync(piece, offset, data, cancellationToken) : inner.WriteAsync(piece, offset, data, cancellationToken);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public ValueTask SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities, CancellationToken cancellationToken = default) =>
        inner.SetFilePrioritiesAsync(priorities, cancellationToken);

    public ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        inner.MoveAsync(newSavePath, progress, cancellationToken);

    public ValueTask RenameFileAsync(int fileIndex, string newRelativePath, CancellationToken cancellationToken = default) =>
        inner.RenameFileAsync(fileIndex, newRelativePath, cancellationToken);

    public ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default) => inner.DeleteFilesAsync(cancellationToken);

    public StorageFileState GetFileState(int fileIndex) => inner.GetFileState(fileIndex);

    public string GetFilePath(int fileIndex) => inner.GetFilePath(fileIndex);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    // A seed reads runs of blocks to send: the liar alters each 16 KiB block the predicate names, wherever the read starts.
    private static List<(int Start, int Length)> CorruptBlocks(int piece, int offset, int length, Func<int, int, bool> corrupt)
    {
        const int Block = 16 * 1024;
        var blocks = new List<(int, int)>();
        for (int at = offset; at < offset + length; at = (at / Block + 1) * Block)
        {
            if (corrupt(piece, at))
            {
                blocks.Add((at - offset, Math.Min(offset + length, (at / Block + 1) * Block) - at));
            }
        }

        return blocks;
    }

    private static async ValueTask CorruptAsync(ValueTask read, Memory<byte> buffer, List<(int Start, int Length)> blocks)
    {
        await read.ConfigureAwait(true);
        foreach (var (start, length) in blocks)
        {
            var span = buffer.Span.Slice(start, length);
            for (int i = 0; i < span.Length; i += 97)
            {
                span[i] ^= 0x5A;
            }
        }
    }

    private ValueTask WriteSlowlyAsync(int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        // A SimOperation, completed outside any synchronization context: where one is current, the
        // ConfigureAwait(false) continuations of the writer's async methods would go to the thread pool.
        var done = new SimOperation<bool>();
        done.CancelWith(cancellationToken);
        var now = disk.Scheduler.Time.GetUtcNow();
        disk.BusyUntil = (disk.BusyUntil > now ? disk.BusyUntil : now) + disk.WriteDelay;
        disk.Scheduler.PostAfter(disk.BusyUntil - now, () =>
        {
            var context = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                // Memory storage completes at once, with its error if any.
                var write = inner.WriteAsync(piece, offset, data, cancellationToken);
                if (write.IsCompletedSuccessfully)
                {
                    done.TrySetResult(true);
                }
                else
                {
                    done.TrySetException(write.AsTask().Exception?.GetBaseException() ?? new InvalidOperationException("The simulated write did not complete at once."));
                }
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
        });
        return done.AsValueTask;
    }

    /// <summary>Writes the whole piece space at once (a seed's files), outside the space accounting.</summary>
    public void Preload(byte[] pieceSpace)
    {
        var layout = new PieceLayout(Torrent);
        for (int piece = 0; piece < layout.PieceCount; piece++)
        {
            long start = (long)piece * layout.PieceLength;
            int size = layout.GetPieceSize(piece);
            var task = inner.WriteAsync(piece, 0, pieceSpace.AsMemory((int)start, size));
            if (!task.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("Memory storage completes at once; anything else is a bug in the simulation.");
            }
        }
    }
}
