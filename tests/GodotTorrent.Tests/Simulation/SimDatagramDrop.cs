namespace GodotTorrent.Tests.Simulation;

/// <summary>Why the simulated network dropped a datagram (counted in <see cref="SimNetwork.DatagramsLost"/>).</summary>
internal enum SimDatagramDrop
{
    /// <summary>The link's <see cref="LinkProfile.Loss"/> took it.</summary>
    Loss,

    /// <summary>A line it had to wait on held more than the link's <see cref="LinkProfile.QueueLimit"/> (drop-tail).</summary>
    QueueFull,

    /// <summary>The two ends were on different sides of a partition.</summary>
    Partition,

    /// <summary>Nobody had bound the endpoint it was sent to (or the socket closed while it travelled).</summary>
    Unbound,

    /// <summary>The socket it reached had not started delivering yet.</summary>
    NotStarted,
}
