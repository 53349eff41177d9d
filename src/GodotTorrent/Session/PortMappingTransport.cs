namespace GodotTorrent.Session;

/// <summary>The IP protocol of a mapped port: TCP carries TCP peers, UDP carries uTP and the DHT.</summary>
public enum PortMappingTransport
{
    /// <summary>TCP (peer connections over TCP).</summary>
    Tcp,

    /// <summary>UDP (uTP peer connections, the DHT, UDP trackers' replies).</summary>
    Udp,
}
