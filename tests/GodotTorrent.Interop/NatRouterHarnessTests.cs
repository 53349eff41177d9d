using System.Globalization;
using GodotTorrent.Interop.Harness;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// The router harness (Harness/NatRouter: miniupnpd 2.3.1 in lan/router/wan namespaces) does what
/// the port-mapping tests rely on, shown with miniupnpd's own clients: <c>upnpc</c> and
/// <c>natpmpc</c> in the lan map a port, the mapping is in the lease file and the kernel, a TCP
/// connect from the wan host to the router's external address reaches a listener in the lan, an
/// unmapped port is refused, and a router with UPnP off answers NAT-PMP only. Needs root.
/// Run with <c>--filter FullyQualifiedName~NatRouterHarness</c>.
/// </summary>
public sealed class NatRouterHarnessTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(20);

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Upnpc_maps_a_port_a_wan_host_reaches_and_an_unmapped_port_is_refused()
    {
        await using var router = await NatRouter.StartAsync(_data.PathOf("router"));

        // -i: miniupnpc calls an IGD with a reserved external address "not connected" otherwise.
        var add = await router.RunInAsync(router.LanNamespace, "upnpc", ["-i", "-a", router.LanHost.ToString(), "6881", "6881", "TCP"], ToolTimeout);
        output.WriteLine(add.StandardOutput);
        Assert.Contains($"external {router.RouterWanAddress}:6881 TCP is redirected to internal {router.LanHost}:6881", add.StandardOutput, StringComparison.Ordinal);
        var lease = Assert.Single(router.Leases());
        Assert.Equal(("TCP", 6881, router.LanHost.ToString(), 6881, "libminiupnpc"), (lease.Protocol, lease.ExternalPort, lease.InternalAddress, lease.InternalPort, lease.Description));
        Assert.Contains($"th dport 6881 dnat ip to {router.LanHost}:6881", await router.RedirectRulesAsync(), StringComparison.Ordinal);

        await AssertReachesLanAsync(router, 6881);
        var refused = await ConnectFromWanAsync(router, 6882);
        Assert.Contains("\"refused\"", refused, StringComparison.Ordinal);

        var list = await router.RunInAsync(router.LanNamespace, "upnpc", ["-i", "-l"], ToolTimeout);
        Assert.Contains($"TCP  6881->{router.LanHost}:6881", list.StandardOutput, StringComparison.Ordinal);
        var delete = await router.RunInAsync(router.LanNamespace, "upnpc", ["-i", "-d", "6881", "TCP"], ToolTimeout);
        Assert.Equal(0, delete.ExitCode);
        Assert.Empty(router.Leases());
        Assert.DoesNotContain("dport 6881", await router.RedirectRulesAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Natpmpc_maps_a_port_on_a_router_with_upnp_off_and_a_wan_host_reaches_it()
    {
        await using var router = await NatRouter.StartAsync(_data.PathOf("router"), new NatRouterOptions { EnableUpnp = false });

        var add = await router.RunInAsync(router.LanNamespace, "natpmpc", ["-g", router.RouterLanAddress.ToString(), "-a", "6882", "6882", "tcp", "3600"], ToolTimeout);
        output.WriteLine(add.StandardOutput);
        Assert.Contains("Mapped public port 6882 protocol TCP to local port 6882", add.StandardOutput, StringComparison.Ordinal);
        var lease = Assert.Single(router.Leases());
        Assert.Equal(("TCP", 6882, router.LanHost.ToString(), 6882, "NAT-PMP 6882 tcp"), (lease.Protocol, lease.ExternalPort, lease.InternalAddress, lease.InternalPort, lease.Description));
        await AssertReachesLanAsync(router, 6882);

        // No IGD answers on the lan: upnpc's discovery (2 s) finds nothing.
        var upnp = await router.RunInAsync(router.LanNamespace, "upnpc", ["-i", "-l"], ToolTimeout);
        Assert.Contains("No IGD UPnP Device found", upnp.StandardOutput + upnp.StandardError, StringComparison.Ordinal);

        router.StopMiniupnpd();
        Assert.False(router.MiniupnpdRunning);
        Assert.Contains("shutting down MiniUPnPd", router.MiniupnpdLog, StringComparison.Ordinal);
        var silent = await router.RunInAsync(router.LanNamespace, "natpmpc", ["-g", router.RouterLanAddress.ToString(), "-a", "6883", "6883", "tcp", "3600"], ToolTimeout);
        Assert.DoesNotContain("Mapped public port 6883", silent.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task<string> ConnectFromWanAsync(NatRouter router, int port)
    {
        var connect = await router.RunInAsync(
            router.WanNamespace,
            Libtorrent.Python,
            [NatRouter.ScriptPath, "--lifetime", "15", "connect", router.RouterWanAddress.ToString(), port.ToString(CultureInfo.InvariantCulture), "--connect-timeout", "3"],
            ToolTimeout);
        return connect.StandardOutput;
    }

    private async Task AssertReachesLanAsync(NatRouter router, int port)
    {
        using var listener = router.StartIn(
            router.LanNamespace,
            Libtorrent.Python,
            [NatRouter.ScriptPath, "--lifetime", "15", "listen", router.LanHost.ToString(), port.ToString(CultureInfo.InvariantCulture)]);
        await listener.WaitForLineAsync(l => l.Contains("\"ready\"", StringComparison.Ordinal), ToolTimeout);

        string connected = await ConnectFromWanAsync(router, port);
        output.WriteLine(connected);
        Assert.Contains("\"connected\"", connected, StringComparison.Ordinal);
        Assert.Contains("\"received\": \"hello\"", connected, StringComparison.Ordinal);
        var accepted = await listener.WaitForLineAsync(l => l.Contains("\"accepted\"", StringComparison.Ordinal), ToolTimeout);

        // The lan host sees the wan host itself: the router only rewrote the destination.
        Assert.Contains($"\"peer\": \"{router.WanHost}:", accepted, StringComparison.Ordinal);
    }
}
