using System.Buffers;

namespace GodotTorrent.Net.Utp;

/// <summary>
/// A first-in first-out byte buffer for a uTP connection's unsent or unread bytes: a pooled ring
/// that starts small and doubles up to its limit, so an idle or half-open connection holds
/// almost nothing. Not thread-safe (the manager's lock guards it).
/// </summary>
internal sealed class ByteRing(int limit)
{
    private const int InitialSize = 16 * 1024;

    private byte[]? _buffer;
    private int _start;

    public int Count { get; private set; }

    public int Limit { get; } = limit;

    /// <summary>Room left before the limit.</summary>
    public int Free => Limit - Count;

    /// <summary>Appends as much of <paramref name="data"/> as fits; returns how much.</summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        int length = Math.Min(data.Length, Free);
        if (length == 0)
        {
            return 0;
        }

        EnsureCapacity(Count + length);
        var buffer = _buffer!;
        int end = (_start + Count) % buffer.Length;
        int first = Math.Min(length, buffer.Length - end);
        data[..first].CopyTo(buffer.AsSpan(end));
        data[first..length].CopyTo(buffer);
        Count += length;
        return length;
    }

    /// <summary>Copies up to <paramref name="destination"/>'s length from the front without removing it.</summary>
    public int Peek(Span<byte> destination)
    {
        int length = Math.Min(destination.Length, Count);
        if (length == 0)
        {
            return 0;
        }

        var buffer = _buffer!;
        int first = Math.Min(length, buffer.Length - _start);
        buffer.AsSpan(_start, first).CopyTo(destination);
        buffer.AsSpan(0, length - first).CopyTo(destination[first..]);
        return length;
    }

    /// <summary>Removes up to <paramref name="count"/> bytes from the front.</summary>
    public void Skip(int count)
    {
        count = Math.Min(count, Count);
        Count -= count;
        _start = Count == 0 ? 0 : (_start + count) % _buffer!.Length;
    }

    /// <summary>Moves up to <paramref name="destination"/>'s length from the front.</summary>
    public int Read(Span<byte> destination)
    {
        int read = Peek(destination);
        Skip(read);
        return read;
    }

    /// <summary>Gives the buffer back to the pool.</summary>
    public void Release()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Count = 0;
        _start = 0;
    }

    private void EnsureCapacity(int needed)
    {
        if (_buffer is { } current && current.Length >= needed)
        {
            return;
        }

        int size = Math.Max(InitialSize, _buffer?.Length ?? 0);
        while (size < needed)
        {
            size *= 2;
        }

        var grown = ArrayPool<byte>.Shared.Rent(size);
        if (_buffer is { } old)
        {
            int copied = Peek(grown);
            ArrayPool<byte>.Shared.Return(old);
            _start = 0;
            Count = copied;
        }

        _buffer = grown;
    }
}
