namespace GodotTorrent.Net;

/// <summary>
/// A datagram protocol that wants to know when the socket has no more datagrams queued, so it can
/// answer a burst once (uTP sends one ack for several data packets, as libtorrent does).
/// </summary>
internal interface IDatagramBatchHandler
{
    /// <summary>Called on the receive loop after the last datagram of a burst was handled.</summary>
    void EndOfBatch();
}
