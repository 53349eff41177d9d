namespace GodotTorrent.Net.Utp;

/// <summary>
/// The packets a uTP connection sent and the peer has not acked, by sequence number. It holds
/// twice <see cref="MaxInFlight"/> slots, so two packets in flight never share one. Not
/// thread-safe (the manager's lock guards it).
/// </summary>
internal sealed class UtpPacketRing
{
    /// <summary>Packets in flight at most.</summary>
    public const int MaxInFlight = 1024;

    private readonly UtpOutgoingPacket?[] _packets = new UtpOutgoingPacket?[2 * MaxInFlight];

    public void Add(UtpOutgoingPacket packet) => _packets[packet.Sequence % _packets.Length] = packet;

    /// <summary>The packet with <paramref name="sequence"/>, or null when it is not outstanding.</summary>
    public UtpOutgoingPacket? Get(ushort sequence) =>
        _packets[sequence % _packets.Length] is { } packet && packet.Sequence == sequence ? packet : null;

    public void Remove(ushort sequence) => _packets[sequence % _packets.Length] = null;

    /// <summary>Gives every packet's buffer back to the pool.</summary>
    public void ReleaseAll()
    {
        for (int i = 0; i < _packets.Length; i++)
        {
            _packets[i]?.Return();
            _packets[i] = null;
        }
    }
}
