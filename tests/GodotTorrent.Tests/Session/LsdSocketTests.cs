using System.Net;
using System.Net.Sockets;
using GodotTorrent.Discovery;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Cli;
using GodotTorrent.Tests.Metainfo;

namespace GodotTorrent.Tests.Session;

/// <summary>
/// Real UDP sockets on loopback, because the production socket path is the point: LSD's
/// announces travel through a real <c>UdpMultiplexer</c>, unicast from one session to the other
/// (<see cref="TorrentSessionOptions.LsdGroups"/>; no multicast outside a private namespace).
/// </summary>
public sealed class LsdSocketTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task A_session_hears_anothers_announce_over_real_udp_and_takes_it_as_a_peer()
    {
        int portA = FreeUdpPort();
        int portB = FreeUdpPort();
        var torrent = TorrentInfo.Parse(TorrentFiles.Torrent(TorrentFiles.SingleFileInfo("lsd.bin", TorrentFiles.Content(64 * 1024, 5), 16 * 1024)));
        var settings = new SessionSettings { ListenAddresses = [IPAddress.Loopback], ListenPort = 0, EnableLsd = true };
        await using var a = new TorrentSession(settings, Options(bind: portA, group: portB));
        await using var b = new TorrentSession(settings, Options(bind: portB, group: portA));
        await a.StartAsync();
        var handleA = await a.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _temp.Combine("a") });
        await b.StartAsync();
        await b.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _temp.Combine("b") });

        // Bounded wait: B's start-up announce reaches A, which learns B's listen endpoint.
        for (int i = 0; i < 200 && (await handleA.GetStatusAsync()).KnownPeerCount == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.True(a.Lsd.IsOpen && b.Lsd.IsOpen);
        Assert.True(a.Lsd.Received > 0);
        Assert.Equal(0, a.Lsd.Dropped);
        Assert.True((await handleA.GetStatusAsync()).KnownPeerCount > 0);

        await a.StopAsync();
        Assert.False(a.Lsd.IsOpen);
    }

    public void Dispose() => _temp.Dispose();

    private static TorrentSessionOptions Options(int bind, int group) => new()
    {
        LsdGroups = [new LsdGroup(new IPEndPoint(IPAddress.Loopback, group), new IPEndPoint(IPAddress.Loopback, bind))],
    };

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
