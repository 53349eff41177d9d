namespace GodotTorrent.Session;

/// <summary>What carries one peer connection, as <see cref="PeerInfo.Transport"/> reports it.</summary>
public enum PeerTransport
{
    /// <summary>TCP.</summary>
    Tcp = 0,
    /// <summary>uTP (BEP 29) over UDP, with LEDBAT congestion control.</summary>
    Utp = 1,
}
