using System.Net;
using GodotTorrent.Net;
using GodotTorrent.Session;
using GodotTorrent.Tests.Discovery;

namespace GodotTorrent.Tests.Session;

/// <summary>
/// Real UDP sockets on loopback, because binding is the point: the DHT shares uTP's listening
/// socket, or binds the UDP side of the TCP listen port itself when uTP does not listen.
/// </summary>
public sealed class DhtSocketTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_dht_gets_a_udp_socket_on_the_listen_port(bool utp)
    {
        var made = new List<FakeDht>();
        var settings = new SessionSettings
        {
            ListenAddresses = [IPAddress.Loopback],
            ListenPort = 0,
            EnableDht = true,
            EnableIncomingUtp = utp,
            EnableOutgoingUtp = utp,
        };
        await using var session = new TorrentSession(settings, new TorrentSessionOptions { DhtFactory = FakeDht.Factory(made) });
        await session.StartAsync();

        var socket = Assert.IsType<UdpMultiplexer>(Assert.Single(Assert.Single(made).Attached));
        Assert.Equal(session.ListenEndPoints[0], socket.LocalEndPoint);
        Assert.Equal(utp, session.Utp.ListeningSockets.Contains(socket));

        await session.StopAsync();
        Assert.True(made[0].Disposed);
        Assert.Equal(made[0].Attached, made[0].Detached);
    }
}
