using System.Buffers.Binary;
using System.Text;

namespace GodotTorrent.Storage;

/// <summary>
/// Keeps the bytes of skipped files that arrive with pieces shared with wanted files, as
/// libtorrent's part file does, so a skipped file is never created. The file is a header
/// (magic, piece count, piece length, then one little-endian slot number + 1 per piece, 0 for
/// none) followed by piece-sized slots; unused slots cost nothing on sparse file systems.
/// It exists only while some slot is in use.
/// </summary>
internal sealed class PartFile
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("GTPARTS1");
    private const int FixedHeader = 16;

    private readonly object _lock = new();
    private readonly PieceLayout _layout;
    private readonly Func<string> _path;
    private readonly long _headerSize;
    private int[]? _slots;
    private readonly SortedSet<int> _free = [];
    private int _slotCount;
    private int _used;
    private FileStream? _stream;

    public PartFile(PieceLayout layout, Func<string> path)
    {
        _layout = layout;
        _path = path;
        _headerSize = (FixedHeader + 4L * layout.PieceCount + 4095) / 4096 * 4096;
    }

    public bool Has(int piece)
    {
        lock (_lock)
        {
            return Load(create: false) && _slots![piece] >= 0;
        }
    }

    public async ValueTask ReadAsync(int piece, int pieceOffset, Memory<byte> buffer, int fileIndex, string filePath, CancellationToken cancellationToken)
    {
        FileStream stream;
        int slot;
        lock (_lock)
        {
            slot = Load(create: false) ? _slots![piece] : -1;
            if (slot < 0)
            {
                throw new StorageException(ErrorCode.FileMissing, $"No bytes of skipped file {fileIndex} ({filePath}) are kept for piece {piece}.", filePath, fileIndex);
            }

            stream = _stream!;
        }

        try
        {
            long position = SlotStart(slot) + pieceOffset;
            int total = 0;
            while (total < buffer.Length)
            {
                int read = await RandomAccess.ReadAsync(stream.SafeFileHandle, buffer[total..], position + total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    // Never written past here: the slot's tail is a hole.
                    buffer.Span[total..].Clear();
                    break;
                }

                total += read;
            }
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "read the part file", stream.Name, -1);
        }
    }

    public async ValueTask WriteAsync(int piece, int pieceOffset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        FileStream stream;
        int slot;
        lock (_lock)
        {
            try
            {
                Load(create: true);
                stream = _stream!;
                slot = _slots![piece];
                if (slot < 0)
                {
                    slot = _free.Count > 0 ? _free.Min : _slotCount++;
                    _free.Remove(slot);
                    WriteSlot(piece, slot);
                    _slots[piece] = slot;
                    _used++;
                }
            }
            catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
            {
                throw StorageErrors.Wrap(ex, "write the part file", SafeName(), -1);
            }
        }

        try
        {
            await RandomAccess.WriteAsync(stream.SafeFileHandle, data, SlotStart(slot) + pieceOffset, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "write the part file", stream.Name, -1);
        }
    }

    public void Free(int piece)
    {
        lock (_lock)
        {
            if (!Load(create: false) || _slots![piece] < 0)
            {
                return;
            }

            try
            {
                WriteSlot(piece, -1);
                _free.Add(_slots[piece]);
                _slots[piece] = -1;
                if (--_used == 0)
                {
                    DeleteLocked();
                }
            }
            catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
            {
                throw StorageErrors.Wrap(ex, "update the part file", SafeName(), -1);
            }
        }
    }

    public void Flush()
    {
        lock (_lock)
        {
            _stream?.Flush(flushToDisk: true);
        }
    }

    /// <summary>Closes the file; it is read again on next use (after a move, from its new place).</summary>
    public void Close()
    {
        lock (_lock)
        {
            _stream?.Dispose();
            _stream = null;
            _slots = null;
        }
    }

    public void Delete()
    {
        lock (_lock)
        {
            Load(create: false);
            DeleteLocked();
        }
    }

    private void DeleteLocked()
    {
        string? path = _stream?.Name;
        _stream?.Dispose();
        _stream = null;
        _slots = null;
        path ??= _path();
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private string SafeName() => _stream?.Name ?? "part file";

    private long SlotStart(int slot) => _headerSize + (long)slot * _layout.PieceLength;

    private void WriteSlot(int piece, int slot)
    {
        Span<byte> entry = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(entry, slot + 1);
        RandomAccess.Write(_stream!.SafeFileHandle, entry, FixedHeader + 4L * piece);
    }

    // Opens (and with create, makes) the file and reads its slot table; false when it does not exist.
    private bool Load(bool create)
    {
        if (_slots is not null)
        {
            return true;
        }

        try
        {
            return LoadCore(create);
        }
        catch (Exception ex) when (StorageErrors.IsIoFailure(ex))
        {
            throw StorageErrors.Wrap(ex, "open the part file", _path(), -1);
        }
    }

    private bool LoadCore(bool create)
    {
        string path = _path();
        bool exists = File.Exists(path);
        if (!exists && !create)
        {
            return false;
        }

        var slots = new int[_layout.PieceCount];
        Array.Fill(slots, -1);
        _free.Clear();
        _slotCount = 0;
        _used = 0;
        if (!exists)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }

        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 0, FileOptions.Asynchronous);
        try
        {
            var header = new byte[_headerSize];
            int read = exists ? RandomAccess.Read(stream.SafeFileHandle, header, 0) : 0;
            bool valid = read >= FixedHeader
                && header.AsSpan(0, 8).SequenceEqual(Magic)
                && BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)) == _layout.PieceCount
                && BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12)) == _layout.PieceLength;
            if (valid)
            {
                for (int piece = 0; piece < slots.Length; piece++)
                {
                    long at = FixedHeader + 4L * piece;
                    int slot = at + 4 <= read ? BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan((int)at)) - 1 : -1;
                    if (slot >= 0)
                    {
                        slots[piece] = slot;
                        _slotCount = Math.Max(_slotCount, slot + 1);
                        _used++;
                    }
                }

                var taken = new HashSet<int>(slots.Where(s => s >= 0));
                for (int slot = 0; slot < _slotCount; slot++)
                {
                    if (!taken.Contains(slot))
                    {
                        _free.Add(slot);
                    }
                }
            }
            else
            {
                // Not ours, or from a different torrent layout: start over rather than trust it.
                header.AsSpan().Clear();
                Magic.CopyTo(header, 0);
                BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), _layout.PieceCount);
                BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), _layout.PieceLength);
                stream.SetLength(0);
                RandomAccess.Write(stream.SafeFileHandle, header, 0);
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        _stream = stream;
        _slots = slots;
        return true;
    }
}
