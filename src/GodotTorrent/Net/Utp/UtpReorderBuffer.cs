using System.Buffers;

namespace GodotTorrent.Net.Utp;

/// <summary>
/// A uTP connection's packets that arrived ahead of a gap, up to <see cref="Slots"/> past the
/// next expected one, kept in pooled buffers until the gap fills; it also writes the selective
/// ack that reports them (BEP 29). Allocated on the first out-of-order packet. Not thread-safe
/// (the manager's lock guards it).
/// </summary>
internal sealed class UtpReorderBuffer
{
    /// <summary>How far past the next expected packet we keep out-of-order packets.</summary>
    public const int Slots = 1024;

    private Slot[]? _slots;

    /// <summary>Packets held.</summary>
    public int Count { get; private set; }

    /// <summary>Payload bytes held (they count against the advertised window).</summary>
    public int Bytes { get; private set; }

    /// <summary>Keeps a copy of the packet; false when it is already held (a duplicate).</summary>
    public bool TryAdd(ushort sequence, ReadOnlySpan<byte> payload, bool fin)
    {
        _slots ??= new Slot[Slots];
        ref var slot = ref _slots[sequence % Slots];
        if (slot.Present)
        {
            return false;
        }

        var copy = payload.IsEmpty ? null : ArrayPool<byte>.Shared.Rent(payload.Length);
        payload.CopyTo(copy);
        slot = new Slot(copy, payload.Length, fin, true);
        Bytes += payload.Length;
        Count++;
        return true;
    }

    /// <summary>When the packet <paramref name="sequence"/> is held, moves its payload into <paramref name="destination"/> and says whether it was the FIN.</summary>
    public bool TryTake(ushort sequence, ByteRing destination, out bool fin)
    {
        fin = false;
        if (Count == 0)
        {
            return false;
        }

        ref var slot = ref _slots![sequence % Slots];
        if (!slot.Present)
        {
            return false;
        }

        var taken = slot;
        slot = default;
        Count--;
        Bytes -= taken.Length;
        fin = taken.Fin;
        if (taken.Data is not null)
        {
            destination.Write(taken.Data.AsSpan(0, taken.Length));
            ArrayPool<byte>.Shared.Return(taken.Data);
        }

        return true;
    }

    /// <summary>
    /// The selective-ack bitmask for <paramref name="ack"/>: bit i says packet ack + 2 + i is
    /// held; as many 4-byte words as the furthest one needs, 32 bytes at most; 0 when none.
    /// </summary>
    public int WriteSelectiveAck(ushort ack, Span<byte> mask)
    {
        if (Count == 0)
        {
            return 0;
        }

        int furthest = -1;
        int bits = Math.Min(UtpHeader.MaxSelectiveAckBytes * 8, Slots - 1);
        mask[..UtpHeader.MaxSelectiveAckBytes].Clear();
        for (int i = 0; i < bits; i++)
        {
            if (_slots![(ushort)(ack + 2 + i) % Slots].Present)
            {
                mask[i >> 3] |= (byte)(1 << (i & 7));
                furthest = i;
            }
        }

        return furthest < 0 ? 0 : ((furthest >> 5) + 1) * 4;
    }

    /// <summary>Gives every held buffer back to the pool.</summary>
    public void Clear()
    {
        if (_slots is not { } slots)
        {
            return;
        }

        foreach (ref var slot in slots.AsSpan())
        {
            if (slot.Data is not null)
            {
                ArrayPool<byte>.Shared.Return(slot.Data);
            }

            slot = default;
        }

        Count = 0;
        Bytes = 0;
    }

    private record struct Slot(byte[]? Data, int Length, bool Fin, bool Present);
}
