using System.Net;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Net;

/// <summary>
/// The transports a session speaks (TCP and uTP), which of them listen, and in which order a given
/// peer is dialled. Reads the settings at each decision, so changes apply to the next connection.
/// </summary>
internal sealed class ConnectionPolicy(ITransport tcp, ITransport utp, Func<SessionSettings> settings, OutgoingInterfaces? outgoing = null)
{
    public ITransport Tcp { get; } = tcp;

    public ITransport Utp { get; } = utp;

    /// <summary>
    /// The transports to listen with: TCP when incoming TCP is on; uTP when either uTP direction is
    /// (outgoing uTP leaves from the listening UDP socket so peers see our port; incoming SYNs are
    /// refused there when only outgoing is on).
    /// </summary>
    public IReadOnlyList<ITransport> Listening => ListeningWith(settings());

    /// <summary>The transports <see cref="Listening"/> would name under <paramref name="now"/>.</summary>
    public IReadOnlyList<ITransport> ListeningWith(SessionSettings now)
    {
        var list = new List<ITransport>(2);
        if (now.EnableIncomingTcp)
        {
            list.Add(Tcp);
        }

        if (now.EnableIncomingUtp || now.EnableOutgoingUtp)
        {
            list.Add(Utp);
        }

        return list;
    }

    /// <summary>
    /// Connects with <paramref name="transport"/>; TCP binds to the outgoing interfaces' address of
    /// the peer's family when <see cref="SessionSettings.OutgoingInterfaces"/> names any (and fails,
    /// rather than leave by another interface, when they have none of that family).
    /// </summary>
    public ValueTask<IPeerConnectionStream> ConnectAsync(ITransport transport, IPEndPoint remote, CancellationToken cancellationToken)
    {
        // uTP leaves from its listening UDP socket, so only TCP picks a local address here.
        if (outgoing is null || transport.Kind != PeerTransport.Tcp
            || outgoing.LocalAddress(settings().OutgoingInterfaces, remote.AddressFamily) is not { } local)
        {
            return transport.ConnectAsync(remote, cancellationToken);
        }

        return transport.ConnectAsync(remote, local, cancellationToken);
    }

    // Clients built on libtorrent or libutp, which listen for uTP by default (and prefer it).
    private static readonly string[] UtpClients =
        ["libtorrent", "qBittorrent", "Deluge", "\u00B5Torrent", "uTorrent", "BitTorrent", "Transmission", "BiglyBT", "Tixati", "PicoTorrent", "Tribler"];

    /// <summary>
    /// True when a BEP 10 handshake's <c>v</c> names a client that speaks uTP by default, so the
    /// next dial of that peer tries uTP first (a failed uTP dial still falls back to TCP).
    /// </summary>
    public static bool ClientSpeaksUtp(string? client)
    {
        if (string.IsNullOrEmpty(client))
        {
            return false;
        }

        foreach (var name in UtpClients)
        {
            if (client.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The transports to try for <paramref name="remote"/>, in order (the second only if the first
    /// cannot connect): uTP first for a peer known to speak it (its PEX flag, an earlier uTP
    /// connection, or a client name that says so), TCP first otherwise; only those switched on.
    /// </summary>
    public IReadOnlyList<ITransport> ForOutgoing(IPEndPoint remote, PexFlags hints, bool? speaksUtp)
    {
        var now = settings();
        bool tcp = now.EnableOutgoingTcp;
        bool utp = now.EnableOutgoingUtp && speaksUtp != false;
        bool utpFirst = utp && (speaksUtp == true || (hints & PexFlags.SupportsUtp) != 0 || !tcp);
        return (tcp, utp) switch
        {
            (true, true) => utpFirst ? [Utp, Tcp] : [Tcp, Utp],
            (true, false) => [Tcp],
            (false, true) => [Utp],
            // Outgoing uTP is off and TCP too, or uTP failed before and TCP is off: try uTP anyway when allowed.
            _ => now.EnableOutgoingUtp ? [Utp] : [],
        };
    }
}
