using GodotTorrent.Peers;
using GodotTorrent.Wire;

namespace GodotTorrent.Discovery;

/// <summary>
/// Peers learned from connected peers' ut_pex messages (BEP 11), with their <c>added.f</c> flags.
/// The per-connection exchange state stays on the connection; this source turns what arrives
/// into candidates, and is never started for a private torrent.
/// </summary>
internal sealed class PexPeerSource(IPeerSink sink) : IPeerSource
{
    public PeerSource Kind => PeerSource.Pex;

    public bool IsRunning { get; private set; }

    public void Start() => IsRunning = true;

    public void Stop() => IsRunning = false;

    /// <summary>A ut_pex message arrived on a connection whose exchange state is <paramref name="state"/>.</summary>
    /// <exception cref="PeerProtocolException">The message is malformed.</exception>
    public void OnMessage(PexState state, ReadOnlySpan<byte> payload)
    {
        var learned = state.OnMessage(payload);
        if (IsRunning && learned.Count > 0)
        {
            sink.Discovered(learned.Select(p => new DiscoveredPeer(p.EndPoint, p.Flags)).ToList(), Kind);
        }
    }
}
