using GodotTorrent.Engine;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A simulated disk shared by the torrents of one session: memory storage with a space limit
/// (new bytes count against it; a full disk fails the write as a real one would) and failures
/// that a test injects. Content preloaded for a save path makes that torrent a seed. What was
/// written stays, as on a real disk: a session started later on the same disk finds it.
/// </summary>
internal sealed class SimDisk(SteppedScheduler? scheduler = null) : IPieceStorageFactory
{
    private readonly Dictionary<string, byte[]> _preloaded = [];
    private readonly Dictionary<string, SimDiskStorage> _storages = [];

    /// <summary>Bytes the disk holds at most; long.MaxValue by default.</summary>
    public long Capacity { get; set; } = long.MaxValue;

    /// <summary>Bytes written so far (each block counted once).</summary>
    public long Used { get; internal set; }

    /// <summary>When set and true for (piece, offset), that write fails with an I/O error.</summary>
    public Func<int, int, bool>? FailWrite { get; set; }

    /// <summary>
    /// When set and true for (piece, offset) of a 16 KiB block, every read that covers the block
    /// returns it altered: a node serving from this disk is a liar that sends corrupt blocks. Set it
    /// after the node's check.
    /// </summary>
    public Func<int, int, bool>? CorruptRead { get; set; }

    /// <summary>Told of every read as (piece, offset, length): what a node served, and how (blocks or whole pieces).</summary>
    public Action<int, int, int>? ReadObserved { get; set; }

    /// <summary>
    /// How long each write takes on the virtual clock (a slow disk); zero by default. Writes queue
    /// one behind the other, so this also bounds the disk's throughput. Needs the scheduler.
    /// </summary>
    public TimeSpan WriteDelay { get; set; }

    /// <summary>When the writes queued so far are done.</summary>
    internal DateTimeOffset BusyUntil { get; set; }

    /// <summary>The scheduler <see cref="WriteDelay"/> waits on.</summary>
    internal SteppedScheduler Scheduler => scheduler ?? throw new InvalidOperationException("A slow simulated disk needs the swarm's scheduler.");

    /// <summary>Writes that failed (full disk or injected).</summary>
    public int FailedWrites { get; internal set; }

    /// <summary>The storage created for <paramref name="savePath"/>, to read back what was written.</summary>
    public IPieceStorage this[string savePath] => _storages[savePath];

    /// <summary>Makes the torrent saved at <paramref name="savePath"/> start with <paramref name="pieceSpace"/> on disk.</summary>
    public void Preload(string savePath, byte[] pieceSpace) => _preloaded[savePath] = pieceSpace;

    public IPieceStorage Create(TorrentInfo torrent, string savePath)
    {
        if (_storages.TryGetValue(savePath, out var existing) && existing.Torrent.InfoHashes == torrent.InfoHashes)
        {
            return existing;
        }

        var storage = new SimDiskStorage(this, new MemoryStorage(torrent, savePath));
        if (_preloaded.TryGetValue(savePath, out var content))
        {
            storage.Preload(content);
        }

        _storages[savePath] = storage;
        return storage;
    }
}
