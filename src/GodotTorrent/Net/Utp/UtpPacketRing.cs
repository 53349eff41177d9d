namespace GodotTorrent.Net.Utp;

/// <summary>
/// The packets a uTP connection sent and the peer has not acked, by sequence number. It holds
/// twice <see cref="MaxInFlight"/> slots, so two packets in flight never share one. Not
/// thread-safe (the manager's lock guards it). Acked packets are kept (up to
/// <see cref="MaxSpare"/>) and handed out again with their buffers: no allocation per packet.
/// </summary>
internal sealed class UtpPacketRing
{
    /// <summary>Packets in flight at most.</summary>
    public const int MaxInFlight = 1024;

    /// <summary>Acked packets kept for reuse at most.</summary>
    public const int MaxSpare = 64;

    private readonly UtpOutgoingPacket?[] _packets = new UtpOutgoingPacket?[2 * MaxInFlight];
    private readonly Stack<UtpOutgoingPacket> _spare = new();

    /// <summary>A packet to fill and <see cref="Add"/>: a spare one when there is one.</summary>
    public UtpOutgoingPacket Rent(UtpPacketType type, ushort sequence, int payloadLength) =>
        UtpOutgoingPacket.Rent(type, sequence, payloadLength, _spare.TryPop(out var spare) ? spare : null);

    public void Add(UtpOutgoingPacket packet) => _packets[packet.Sequence % _packets.Length] = packet;

    /// <summary>The packet with <paramref name="sequence"/>, or null when it is not outstanding.</summary>
    public UtpOutgoingPacket? Get(ushort sequence) =>
        _packets[sequence % _packets.Length] is { } packet && packet.Sequence == sequence ? packet : null;

    public void Remove(ushort sequence) => _packets[sequence % _packets.Length] = null;

    /// <summary>Takes back an acked packet (already removed) for reuse, or frees it.</summary>
    public void Recycle(UtpOutgoingPacket packet)
    {
        if (_spare.Count < MaxSpare)
        {
            _spare.Push(packet);
        }
        else
        {
            packet.Return();
        }
    }

    /// <summary>Gives every packet's buffer back to the pool.</summary>
    public void ReleaseAll()
    {
        for (int i = 0; i < _packets.Length; i++)
        {
            _packets[i]?.Return();
            _packets[i] = null;
        }

        while (_spare.TryPop(out var spare))
        {
            spare.Return();
        }
    }
}
