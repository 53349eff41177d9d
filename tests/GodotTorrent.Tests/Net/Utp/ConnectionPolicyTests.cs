using System.Net;
using GodotTorrent.Net;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Net.Utp;

/// <summary>Which transports listen and in which order a peer is dialled.</summary>
public sealed class ConnectionPolicyTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("192.0.2.7"), 6881);

    [Fact]
    public void Utp_goes_first_only_for_peers_known_to_speak_it()
    {
        var policy = Policy(SessionSettings.Default);
        Assert.Equal([PeerTransport.Tcp, PeerTransport.Utp], Kinds(policy.ForOutgoing(Peer, PexFlags.None, null)));
        Assert.Equal([PeerTransport.Utp, PeerTransport.Tcp], Kinds(policy.ForOutgoing(Peer, PexFlags.SupportsUtp, null)));
        Assert.Equal([PeerTransport.Utp, PeerTransport.Tcp], Kinds(policy.ForOutgoing(Peer, PexFlags.None, true)));
        // Known not to answer uTP (TCP answered when uTP did not): TCP alone, even with a PEX hint.
        Assert.Equal([PeerTransport.Tcp], Kinds(policy.ForOutgoing(Peer, PexFlags.SupportsUtp, false)));
    }

    [Theory]
    [InlineData("libtorrent/2.0.8.0", true)]
    [InlineData("qBittorrent/4.6.3", true)]
    [InlineData("\u00B5Torrent 3.5.5", true)]
    [InlineData("Transmission 3.00", true)]
    [InlineData("Deluge 2.1.1", true)]
    [InlineData("aria2/1.36.0", false)]
    [InlineData("Godot-Torrent/0.1.0", false)]
    [InlineData("WebTorrent/0109", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_client_name_says_whether_the_peer_speaks_utp(string? client, bool expected) =>
        Assert.Equal(expected, ConnectionPolicy.ClientSpeaksUtp(client));

    [Fact]
    public void Switched_off_transports_are_neither_dialled_nor_listened_with()
    {
        var utpOnly = Policy(SessionSettings.Background);
        Assert.Equal([PeerTransport.Utp], Kinds(utpOnly.ForOutgoing(Peer, PexFlags.None, null)));
        Assert.Equal([PeerTransport.Utp], Kinds(utpOnly.ForOutgoing(Peer, PexFlags.None, false)));
        Assert.Equal([PeerTransport.Utp], Kinds(utpOnly.Listening));

        var tcpOnly = Policy(SessionSettings.Default with { EnableIncomingUtp = false, EnableOutgoingUtp = false });
        Assert.Equal([PeerTransport.Tcp], Kinds(tcpOnly.ForOutgoing(Peer, PexFlags.SupportsUtp, true)));
        Assert.Equal([PeerTransport.Tcp], Kinds(tcpOnly.Listening));

        // Outgoing uTP alone still needs the UDP socket (peers see our port); incoming SYNs are refused there.
        var outgoingUtp = Policy(SessionSettings.Default with { EnableIncomingUtp = false });
        Assert.Equal([PeerTransport.Tcp, PeerTransport.Utp], Kinds(outgoingUtp.Listening));
        Assert.Empty(Policy(SessionSettings.Default with { EnableOutgoingTcp = false, EnableOutgoingUtp = false }).ForOutgoing(Peer, PexFlags.None, null));
    }

    private static ConnectionPolicy Policy(SessionSettings settings) => new(new Stub(PeerTransport.Tcp), new Stub(PeerTransport.Utp), () => settings);

    private static PeerTransport[] Kinds(IEnumerable<ITransport> transports) => [.. transports.Select(t => t.Kind)];

    private sealed class Stub(PeerTransport kind) : ITransport
    {
        public PeerTransport Kind => kind;

        public ValueTask<IPeerConnectionStream> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ITransportListener Listen(IPEndPoint local) => throw new NotSupportedException();
    }
}
