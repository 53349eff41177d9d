using System.Net;

namespace GodotTorrent.Swarm;

/// <summary>A peer address the torrent knows of, with its connection history. Engine loop only.</summary>
internal sealed class PeerCandidate(IPEndPoint endPoint, string source)
{
    public IPEndPoint EndPoint { get; } = endPoint;

    public string Source { get; set; } = source;

    public int Failures { get; set; }

    public DateTimeOffset NextAttempt { get; set; }

    public bool Connecting { get; set; }

    public bool Connected { get; set; }

    public bool Banned { get; set; }

    /// <summary>The peer had every piece when we last saw it (a seed is not dialled while we seed).</summary>
    public bool WasSeed { get; set; }
}
