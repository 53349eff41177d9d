using System.Net;

namespace GodotTorrent.Net;

/// <summary>
/// A bound UDP socket that the datagram protocols share (uTP, the DHT, UDP trackers): each
/// registers an <see cref="IDatagramHandler"/>, before or after <see cref="Start"/>. <see cref="UdpMultiplexer"/>
/// in production; an in-memory socket in simulation.
/// </summary>
internal interface IDatagramSocket : IAsyncDisposable
{
    /// <summary>The bound endpoint, with the real port when 0 was asked for.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Adds a protocol; handlers are asked in the order registered.</summary>
    void Register(IDatagramHandler handler);

    /// <summary>Starts delivering received datagrams to the handlers.</summary>
    void Start();

    /// <summary>
    /// Sends one datagram now, without waiting. False when the system refused it (buffer full,
    /// no route): the datagram is lost, as the network may lose any datagram.
    /// </summary>
    bool Send(ReadOnlySpan<byte> datagram, IPEndPoint to);
}
