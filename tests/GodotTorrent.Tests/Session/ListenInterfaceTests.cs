using System.Net;
using System.Net.Sockets;
using GodotTorrent.Alerts;
using GodotTorrent.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>
/// Real sockets on loopback: listening by interface name (the machine's own <c>lo</c>, or a list
/// the test gives), honest failures for names that give no address, rebinding when the entries
/// change, and outgoing TCP leaving from the outgoing interface's address.
/// </summary>
public sealed class ListenInterfaceTests
{
    private static readonly IPAddress Loopback2 = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Loopback3 = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task Listening_on_lo_by_name_binds_its_IPv4_and_IPv6_addresses()
    {
        var lo = LocalInterface.FromSystem().Single(i => i.Name == "lo");
        await using var session = new TorrentSession(new SessionSettings { ListenInterfaces = ["lo"], ListenPort = 0, AlertMask = AlertCategory.All });
        await session.StartAsync();

        var addresses = session.ListenEndPoints.Select(e => e.Address).ToList();
        Assert.Contains(IPAddress.Loopback, addresses);
        Assert.Equal(lo.Addresses.Contains(IPAddress.IPv6Loopback) && Socket.OSSupportsIPv6, addresses.Contains(IPAddress.IPv6Loopback));
        Assert.Single(session.ListenEndPoints.Select(e => e.Port).Distinct());
        Assert.Empty(session.ListenFailures);
        Assert.Contains(session.PopAlerts(), a => a is ListenSucceededAlert { EndPoint: var e } && e.Address.Equals(IPAddress.Loopback));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, session.ListenPort);
    }

    [Fact]
    public async Task A_name_that_does_not_exist_is_a_listen_failure_naming_it_not_an_exception()
    {
        await using var session = new TorrentSession(new SessionSettings { ListenInterfaces = ["nosuchif0", "127.0.0.1"], ListenPort = 0 });
        await session.StartAsync();

        var failure = Assert.Single(session.ListenFailures);
        Assert.Equal("nosuchif0", failure.InterfaceName);
        Assert.Equal(IPAddress.Any, failure.Address);
        Assert.Contains("no network interface named 'nosuchif0'", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("interface nosuchif0", failure.Message, StringComparison.Ordinal);
        Assert.Contains(session.PopAlerts(), a => a is ListenFailedAlert { InterfaceName: "nosuchif0" });
        Assert.Equal([IPAddress.Loopback], session.ListenEndPoints.Select(e => e.Address).Distinct());
    }

    [Fact]
    public async Task Changing_the_entries_rebinds_to_the_new_interface()
    {
        IReadOnlyList<LocalInterface> machine = [new("game0", [Loopback2]), new("game1", [Loopback3])];
        await using var session = new TorrentSession(
            new SessionSettings { ListenInterfaces = ["game0"], ListenPort = 0 },
            new TorrentSessionOptions { NetworkInterfaces = () => machine });
        await session.StartAsync();
        var first = Assert.Single(session.ListenEndPoints);
        Assert.Equal(Loopback2, first.Address);

        await session.ApplySettingsAsync(session.Settings with { ListenInterfaces = ["game1"] });

        Assert.Equal(Loopback3, Assert.Single(session.ListenEndPoints).Address);
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(first.Address, first.Port));
    }

    [Fact]
    public void Only_a_change_of_the_listen_entries_needs_a_rebind_not_one_of_the_outgoing_ones()
    {
        var policy = new ConnectionPolicy(TcpTransport.Instance, TcpTransport.Instance, () => SessionSettings.Default);
        var old = SessionSettings.Default with { ListenInterfaces = ["eth0"] };

        Assert.True(SessionListening.NeedsRebind(old, old with { ListenInterfaces = ["eth0:7000"] }, policy));
        Assert.False(SessionListening.NeedsRebind(old, old with { ListenInterfaces = ["eth0"], OutgoingInterfaces = ["eth1"] }, policy));
    }

    [Fact]
    public async Task Outgoing_TCP_leaves_from_the_named_interface_address()
    {
        await using var swarm = new SwarmFixture();
        var torrent = await swarm.CreateContentAsync(swarm.Folder("seed"), "pack", [("a.bin", 40_000)]);
        IReadOnlyList<LocalInterface> machine = [new("game0", [Loopback2])];
        var session = await swarm.StartSessionAsync(
            SwarmFixture.LoopbackSettings with { OutgoingInterfaces = ["game0"], EnableOutgoingUtp = false },
            new TorrentSessionOptions { NetworkInterfaces = () => machine });
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("out") });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await handle.WaitForStateAsync(TorrentState.Downloading, cts.Token);
        using var peer = new TcpListener(IPAddress.Loopback, 0);
        peer.Start();

        await handle.ConnectPeerAsync((IPEndPoint)peer.LocalEndpoint, cts.Token);
        using var accepted = await peer.AcceptSocketAsync(cts.Token);

        Assert.Equal(Loopback2, ((IPEndPoint)accepted.RemoteEndPoint!).Address);
    }

    [Fact]
    public async Task A_peer_of_a_family_the_outgoing_interfaces_lack_is_not_dialled_at_all()
    {
        await using var swarm = new SwarmFixture();
        var torrent = await swarm.CreateContentAsync(swarm.Folder("seed"), "pack", [("a.bin", 40_000)]);
        var session = await swarm.StartSessionAsync(SwarmFixture.LoopbackSettings with { OutgoingInterfaces = ["::1"], EnableOutgoingUtp = false });
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = swarm.Folder("out") });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await handle.WaitForStateAsync(TorrentState.Downloading, cts.Token);
        using var peer = new TcpListener(IPAddress.Loopback, 0);
        peer.Start();

        await handle.ConnectPeerAsync((IPEndPoint)peer.LocalEndpoint, cts.Token);
        while ((await session.GetStatisticsAsync(cts.Token)).ConnectFailures == 0)
        {
            await Task.Delay(20, cts.Token);
        }

        Assert.False(peer.Pending(), "the dial left from another interface");
    }
}
