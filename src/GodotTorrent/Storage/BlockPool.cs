using System.Buffers;

namespace GodotTorrent.Storage;

/// <summary>
/// The 16 KiB buffers received blocks travel in, from a socket or an HTTP body to the disk writer.
/// <see cref="ArrayPool{T}.Shared"/> keeps a few dozen arrays of a size per core, while a download
/// holds thousands at once (the disk budget) and frees them in bursts (a piece's worth when it is
/// hashed): most returns were dropped and as many new arrays allocated, zeroed and faulted in, about
/// as many bytes of garbage as bytes downloaded. <see cref="Shared"/> keeps up to 512 idle blocks
/// for the process (8 MiB). Any array may be returned: other sizes go to <see cref="ArrayPool{T}.Shared"/>,
/// and a block buffer returned there instead is not lost either. Thread-safe.
/// </summary>
internal sealed class BlockPool(int maxKept)
{
    /// <summary>The standard block (BEP 3 practice, the BEP 52 leaf size): the disk service's unit.</summary>
    public const int BlockSize = Disk.DiskService.BlockSize;

    private readonly object _lock = new();
    private readonly byte[]?[] _kept = new byte[maxKept][];
    private int _count;

    /// <summary>The process's pool, used by every torrent's receive and write paths.</summary>
    public static BlockPool Shared { get; } = new(512);

    /// <summary>Idle blocks kept now.</summary>
    public int KeptCount
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>A buffer of at least <paramref name="length"/> bytes; a block buffer when it fits in one.</summary>
    public byte[] Rent(int length)
    {
        if (length > BlockSize)
        {
            return ArrayPool<byte>.Shared.Rent(length);
        }

        lock (_lock)
        {
            if (_count > 0)
            {
                var buffer = _kept[--_count]!;
                _kept[_count] = null;
                return buffer;
            }
        }

        return GC.AllocateUninitializedArray<byte>(BlockSize);
    }

    /// <summary>Takes back a buffer from <see cref="Rent"/> (or from <see cref="ArrayPool{T}.Shared"/>).</summary>
    public void Return(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Length == BlockSize)
        {
            lock (_lock)
            {
                if (_count < _kept.Length)
                {
                    _kept[_count++] = buffer;
                    return;
                }
            }
        }

        ArrayPool<byte>.Shared.Return(buffer);
    }
}
