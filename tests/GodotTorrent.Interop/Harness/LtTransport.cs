namespace GodotTorrent.Interop.Harness;

/// <summary>
/// Which transports an <c>lt_tool.py seed|download</c> peer uses (<c>--transport</c>), set when its
/// session is made. Whenever uTP is on its UDP socket buffers are 1 MiB: with the kernel's default
/// libtorrent's uTP crawls on loopback (REAL_PEERS.md).
/// </summary>
public enum LtTransport
{
    /// <summary>TCP only, uTP off both ways (the harness's default).</summary>
    TcpOnly,

    /// <summary>uTP only: <c>enable_incoming_tcp</c> and <c>enable_outgoing_tcp</c> off.</summary>
    UtpOnly,

    /// <summary>libtorrent's defaults: both accepted, and it dials uTP first.</summary>
    Both,
}
