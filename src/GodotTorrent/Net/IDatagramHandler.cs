using System.Net;

namespace GodotTorrent.Net;

/// <summary>
/// One protocol sharing a <see cref="UdpMultiplexer"/> socket (uTP, DHT, UDP trackers). Called on
/// the socket's receive loop, not the engine loop: handlers copy what they keep and post work on.
/// </summary>
internal interface IDatagramHandler
{
    /// <summary>True when the datagram has this protocol's shape (checked in registration order; the first taker wins).</summary>
    bool Claims(ReadOnlySpan<byte> datagram, IPEndPoint from);

    /// <summary>Takes a claimed datagram; the bytes are only valid during the call.</summary>
    void Receive(ReadOnlySpan<byte> datagram, IPEndPoint from);
}
