using System.Net;
using System.Net.Sockets;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Wire;

/// <summary>
/// ut_pex bookkeeping for one connection: what we told the peer (to send only the difference, at
/// most once a minute) and what it told us (rate-limited and capped). Engine loop only; no I/O.
/// </summary>
internal sealed class PexState
{
    private readonly TimeProvider _time;
    private readonly IPEndPoint? _remote;
    private readonly PexOptions _options;
    private readonly Dictionary<IPEndPoint, PexFlags> _told = [];
    private readonly HashSet<IPEndPoint> _learned = [];
    private DateTimeOffset? _lastSent;
    private DateTimeOffset? _lastReceived;

    /// <summary>Creates the state for a new connection.</summary>
    /// <param name="time">Clock for the send and receive intervals.</param>
    /// <param name="remote">The peer's own listen endpoint, if known: never sent to it, nor taken from it.</param>
    /// <param name="options">Timings and caps; <see cref="PexOptions.Default"/> when null.</param>
    public PexState(TimeProvider time, IPEndPoint? remote = null, PexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _options = options ?? PexOptions.Default;
        _options.Validate();
        _time = time;
        _remote = remote is null ? null : PexMessage.Normalize(remote);
    }

    /// <summary>Messages taken from the peer that were ignored for arriving too soon.</summary>
    public int IgnoredMessages { get; private set; }

    /// <summary>Distinct peers taken from this connection so far.</summary>
    public int LearnedCount => _learned.Count;

    /// <summary>
    /// Whether a torrent may use PEX at all: BEP 27 private torrents get peers from their tracker
    /// only, so neither offer <c>ut_pex</c> in the extension handshake nor send or take PEX
    /// messages for them. Before a magnet's metadata arrives privacy is unknown and PEX is allowed;
    /// when the metadata turns out private, drop every <see cref="PexState"/>, re-send the
    /// extension handshake with <c>ut_pex</c> set to 0, and forget peers learned by PEX.
    /// </summary>
    public static bool IsAllowed(TorrentInfo? metadata) => metadata is null || !metadata.IsPrivate;

    /// <summary>
    /// The message to send now, or null when the last one went out less than
    /// <see cref="PexOptions.SendInterval"/> ago or nothing changed (an empty message is never
    /// sent: some clients drop the connection on one).
    /// </summary>
    /// <param name="connected">
    /// The peers we are connected to now, each by its listen endpoint (the address we dialled, or
    /// the remote address with the port from its extension handshake; leave out incoming peers
    /// whose listen port is unknown), with flags.
    /// </param>
    /// <returns>The ut_pex payload, to send with the peer's ut_pex id.</returns>
    public byte[]? TryBuildMessage(IEnumerable<PexPeer> connected)
    {
        ArgumentNullException.ThrowIfNull(connected);
        var now = _time.GetUtcNow();
        if (_lastSent is { } last && now - last < _options.SendInterval)
        {
            return null;
        }

        var current = new Dictionary<IPEndPoint, PexFlags>();
        foreach (var (endPoint, flags) in connected)
        {
            var normalized = PexMessage.Normalize(endPoint);
            if (!normalized.Equals(_remote))
            {
                current.TryAdd(normalized, flags);
            }
        }

        var added = new List<PexPeer>();
        foreach (var (endPoint, flags) in current)
        {
            if (added.Count >= _options.MaxAddedPerMessage)
            {
                break;
            }

            if (!_told.ContainsKey(endPoint))
            {
                added.Add(new PexPeer(endPoint, flags));
            }
        }

        var dropped = new List<IPEndPoint>();
        foreach (var endPoint in _told.Keys)
        {
            if (dropped.Count >= _options.MaxDroppedPerMessage)
            {
                break;
            }

            if (!current.ContainsKey(endPoint))
            {
                dropped.Add(endPoint);
            }
        }

        if (added.Count == 0 && dropped.Count == 0)
        {
            return null;
        }

        // Only what was sent counts as told: peers over the caps go out in the next message.
        foreach (var peer in added)
        {
            _told[peer.EndPoint] = peer.Flags;
        }

        foreach (var endPoint in dropped)
        {
            _told.Remove(endPoint);
        }

        _lastSent = now;
        return new PexMessage { Added = added.AsReadOnly(), Dropped = dropped.AsReadOnly() }.ToBytes();
    }

    /// <summary>
    /// Takes a ut_pex payload from the peer. Returns the peers worth adding as candidates: new to
    /// this connection, plausibly dialable, within the per-message and per-connection caps.
    /// A message arriving sooner than <see cref="PexOptions.MinReceiveInterval"/> after the last
    /// one is ignored (empty result), not punished.
    /// </summary>
    /// <exception cref="PeerProtocolException"><see cref="ErrorCode.InvalidExtensionMessage"/>: the payload is malformed.</exception>
    public IReadOnlyList<PexPeer> OnMessage(ReadOnlySpan<byte> payload)
    {
        var now = _time.GetUtcNow();
        if (_lastReceived is { } last && now - last < _options.MinReceiveInterval)
        {
            // Checked before parsing, so a flood costs nothing but this comparison.
            IgnoredMessages++;
            return [];
        }

        var message = PexMessage.Parse(payload, _options.MaxAddedPerMessage, _options.MaxDroppedPerMessage);
        _lastReceived = now;
        var accepted = new List<PexPeer>();
        foreach (var peer in message.Added)
        {
            if (_learned.Count >= _options.MaxPeersPerConnection)
            {
                break;
            }

            if (IsDialable(peer.EndPoint) && !peer.EndPoint.Equals(_remote) && _learned.Add(peer.EndPoint))
            {
                accepted.Add(peer);
            }
        }

        return accepted;
    }

    /// <summary>
    /// Filters out addresses nobody can connect to. Loopback and private ranges stay: swarms on a
    /// LAN or one machine are a use case, and the engine's IP filter applies afterwards anyway.
    /// </summary>
    private static bool IsDialable(IPEndPoint endPoint)
    {
        var address = endPoint.Address;
        if (endPoint.Port == 0 || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        return address.AddressFamily == AddressFamily.InterNetwork
            ? address.GetAddressBytes()[0] is < 224 and not 0
            : !address.IsIPv6Multicast;
    }
}
