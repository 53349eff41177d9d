using System.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Peers;

/// <summary>A peer address the torrent knows of, with its connection history. Engine loop only.</summary>
internal sealed class PeerCandidate(IPEndPoint endPoint, PeerSource sources, long order)
{
    public IPEndPoint EndPoint { get; } = endPoint;

    public PeerSource Sources { get; set; } = sources;

    /// <summary>What peer exchange said about the peer (BEP 11 <c>added.f</c>), merged over every message.</summary>
    public PexFlags PexFlags { get; set; }

    /// <summary>When it was first learned, to keep the dial order stable among equals.</summary>
    public long Order { get; } = order;

    public int Failures { get; set; }

    public DateTimeOffset NextAttempt { get; set; }

    public bool Connecting { get; set; }

    public bool Connected { get; set; }

    /// <summary>Not to be dialled (it led back to ourselves, or was banned) until the application adds it again.</summary>
    public bool Banned { get; set; }

    /// <summary>Whether the peer speaks MSE, learned from our dials (null: not known yet; false: it refused our MSE offer).</summary>
    public bool? SpeaksMse { get; set; }

    /// <summary>Whether the peer answers uTP, learned from our dials and its uTP connections to us (null: not known yet).</summary>
    public bool? SpeaksUtp { get; set; }

    /// <summary>The peer had every piece when we last saw it (a seed is not dialled while we seed).</summary>
    public bool WasSeed { get; set; }

    /// <summary>The name <see cref="Session.PeerInfo.Source"/> shows: the most direct source.</summary>
    public string SourceName =>
        (Sources & PeerSource.Manual) != 0 ? "manual"
        : (Sources & PeerSource.Tracker) != 0 ? "tracker"
        : (Sources & PeerSource.ResumeData) != 0 ? "resume"
        : (Sources & PeerSource.Dht) != 0 ? "dht"
        : (Sources & PeerSource.Lsd) != 0 ? "lsd"
        : (Sources & PeerSource.Pex) != 0 ? "pex"
        : "incoming";
}
