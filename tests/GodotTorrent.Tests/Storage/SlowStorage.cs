using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

/// <summary>A MemoryStorage whose writes take a while (or fail), to exercise backpressure and errors.</summary>
internal sealed class SlowStorage(TorrentInfo torrent, TimeSpan writeDelay) : IPieceStorage
{
    private readonly MemoryStorage _inner = new(torrent, "slow");
    private int _writesInFlight;

    public int MaxWritesInFlight { get; private set; }

    public Func<int, int, bool>? FailWrite { get; set; }

    /// <summary>When set, writes wait for it first: a disk that has stalled until the test lets it go.</summary>
    public Task? WriteGate { get; set; }

    public TorrentInfo Torrent => _inner.Torrent;

    public string SavePath => _inner.SavePath;

    public MemoryStorage Inner => _inner;

    private int _reads;

    /// <summary>How many reads the storage has served (read-backs, for a writer).</summary>
    public int Reads => Volatile.Read(ref _reads);

    public ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return _inner.ReadAsync(piece, offset, buffer, cancellationToken);
    }

    public async ValueTask WriteAsync(int piece, int offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        int now = Interlocked.Increment(ref _writesInFlight);
        lock (this)
        {
            MaxWritesInFlight = Math.Max(MaxWritesInFlight, now);
        }

        try
        {
            if (WriteGate is { } gate)
            {
                await gate.WaitAsync(cancellationToken);
            }

            await Task.Delay(writeDelay, cancellationToken);
            if (FailWrite?.Invoke(piece, offset) == true)
            {
                throw new StorageException(ErrorCode.DiskFull, "disk full (simulated)");
            }

            await _inner.WriteAsync(piece, offset, data, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _writesInFlight);
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public ValueTask SetFilePrioritiesAsync(IReadOnlyList<Priority> priorities, CancellationToken cancellationToken = default) => _inner.SetFilePrioritiesAsync(priorities, cancellationToken);

    public ValueTask MoveAsync(string newSavePath, IProgress<long>? progress = null, CancellationToken cancellationToken = default) => _inner.MoveAsync(newSavePath, progress, cancellationToken);

    public ValueTask RenameFileAsync(int fileIndex, string newRelativePath, CancellationToken cancellationToken = default) => _inner.RenameFileAsync(fileIndex, newRelativePath, cancellationToken);

    public ValueTask DeleteFilesAsync(CancellationToken cancellationToken = default) => _inner.DeleteFilesAsync(cancellationToken);

    public StorageFileState GetFileState(int fileIndex) => _inner.GetFileState(fileIndex);

    public string GetFilePath(int fileIndex) => _inner.GetFilePath(fileIndex);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
