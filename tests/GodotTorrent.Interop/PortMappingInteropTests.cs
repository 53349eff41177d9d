using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using GodotTorrent.Interop.Harness;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Port mapping (step 13) against a real router daemon: miniupnpd 2.3.1 in namespaces
/// (Harness/NatRouter). Our side is the CLI (<c>gdtorrent seed --json</c>, which turns UPnP and
/// NAT-PMP on) inside the lan namespace, listening on the lan host's address; a libtorrent
/// downloader in the wan namespace (DHT/LSD/UPnP/NAT-PMP off) is told only the router's external
/// address and the external port miniupnpd's lease file shows for our TCP mapping. Proven: the
/// TCP and UDP ports are mapped through UPnP alone and through NAT-PMP alone, the wan downloader
/// gets every byte through the mapping, and the mappings are gone once our seed stops (SIGINT);
/// with miniupnpd stopped mid-session our seed reports the failure and keeps seeding. Needs root.
/// Run with <c>--filter FullyQualifiedName~PortMappingInterop</c>.
/// </summary>
public sealed partial class PortMappingInteropTests(ITestOutputHelper output) : IDisposable
{
    private const int OurPort = 6881;
    private const long Size = 8L * 1024 * 1024;
    private const string FileName = "level.pak";

    private static readonly TimeSpan MapTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DownloadTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Fact]
    public Task Upnp_maps_our_tcp_and_udp_ports_a_wan_libtorrent_downloads_through_them_and_they_go_when_we_stop() =>
        MapDownloadAndUnmapAsync(new NatRouterOptions { EnableNatPmp = false }, "upnp");

    [Fact]
    public Task Nat_pmp_maps_our_tcp_and_udp_ports_a_wan_libtorrent_downloads_through_them_and_they_go_when_we_stop() =>
        MapDownloadAndUnmapAsync(new NatRouterOptions { EnableUpnp = false }, "nat-pmp|natpmp|pcp");

    [Fact]
    public async Task Miniupnpd_stopped_mid_session_is_reported_and_our_seed_keeps_seeding()
    {
        var torrent = await CreateTorrentAsync();

        // Both mechanisms on. UPnP finds the gateway over SSDP but its HTTP connect is held at the
        // router, so when NAT-PMP reports its first mapping, miniupnpd is stopped while UPnP is
        // surely mid-way; the hold is then lifted and UPnP's next SYN meets a router with no
        // miniupnpd. (Renewals would fail too, but UPnP and NAT-PMP leases last an hour or two;
        // miniupnpd clamps only PCP leases, here to 20 s, for a mapper that speaks PCP.)
        await using var router = await NatRouter.StartAsync(_data.PathOf("router"), new NatRouterOptions { PcpMaxLifetimeSeconds = 20 });
        await router.HoldUpnpHttpAsync();
        using var seed = StartOurSeed(router, torrent);
        string first = await WaitForEventAsync(seed, "portmap", MapTimeout, router);
        router.StopMiniupnpd();
        await router.ReleaseUpnpHttpAsync();
        var stopped = DateTime.UtcNow;
        var mappedBefore = Events(seed, "portmap");
        output.WriteLine("mapped before miniupnpd stopped:\n" + string.Join('\n', mappedBefore));
        Assert.True(
            !mappedBefore.Exists(line => line.Contains("upnp", StringComparison.OrdinalIgnoreCase)),
            "UPnP had mapped before miniupnpd stopped: nothing was left to fail\n" + Describe(seed, router));
        Assert.Matches(new Regex("nat-pmp|natpmp|pcp", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)), first);

        // Still seeding, to the lan, where no mapping is needed.
        using var lanPeer = await LibtorrentPeer.StartDownloadAsync(
            torrent,
            _data.PathOf("lan-out"),
            [new IPEndPoint(router.LanHost, OurPort)],
            lifetime: DownloadTimeout + TimeSpan.FromSeconds(10),
            listen: router.LanHost,
            namespaceStarter: (file, args) => router.StartIn(router.LanNamespace, file, args));
        var transfer = await lanPeer.WaitForCompletionAsync(DownloadTimeout);
        AssertSameData(_data.PathOf("lan-out"));

        string error = await WaitForEventAsync(seed, "portmap_error", TimeSpan.FromSeconds(30), router);
        output.WriteLine($"lan download {Seconds(transfer.Elapsed)} s; portmap_error {Seconds(DateTime.UtcNow - stopped)} s after miniupnpd stopped: {error}");
        Assert.Matches(new Regex("upnp", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)), error);
        Assert.False(seed.HasExited, "our seed exited after the gateway went away\n" + Describe(seed, router));

        // Stopping with a silent gateway is bounded (removals go unanswered) and clean.
        var stopping = DateTime.UtcNow;
        seed.Signal("INT");
        var result = await seed.WaitForExitAsync(StopTimeout);
        output.WriteLine($"stopped in {Seconds(DateTime.UtcNow - stopping)} s");
        Assert.True(result.ExitCode == 0, "exit code " + result.ExitCode.ToString(CultureInfo.InvariantCulture) + "\n" + Describe(seed, router));
    }

    private async Task MapDownloadAndUnmapAsync(NatRouterOptions options, string mechanism)
    {
        var torrent = await CreateTorrentAsync();
        await using var router = await NatRouter.StartAsync(_data.PathOf("router"), options);
        var started = DateTime.UtcNow;
        using var seed = StartOurSeed(router, torrent);

        var (tcp, _, lines) = await WaitForMappingsAsync(router, seed);
        output.WriteLine($"mapped {Seconds(DateTime.UtcNow - started)} s after our start: {string.Join("; ", router.Leases())}");
        Assert.All(lines, line => Assert.Matches(new Regex(mechanism, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)), line));

        using var wanPeer = await LibtorrentPeer.StartDownloadAsync(
            torrent,
            _data.PathOf("wan-out"),
            [new IPEndPoint(router.RouterWanAddress, tcp.ExternalPort)],
            lifetime: DownloadTimeout + TimeSpan.FromSeconds(10),
            listen: router.WanHost,
            namespaceStarter: (file, args) => router.StartIn(router.WanNamespace, file, args));
        var transfer = await wanPeer.WaitForCompletionAsync(DownloadTimeout);
        output.WriteLine($"wan download through {router.RouterWanAddress}:{tcp.ExternalPort}: {Seconds(transfer.Elapsed)} s, {transfer.Bytes} bytes");
        AssertSameData(_data.PathOf("wan-out"));

        var stopping = DateTime.UtcNow;
        seed.Signal("INT");
        var result = await seed.WaitForExitAsync(StopTimeout);
        output.WriteLine($"stopped in {Seconds(DateTime.UtcNow - stopping)} s; leases left: {router.Leases().Count}");
        Assert.True(result.ExitCode == 0, "exit code " + result.ExitCode.ToString(CultureInfo.InvariantCulture) + "\n" + Describe(seed, router));
        Assert.True(router.Leases().Count == 0, "mappings left after our seed stopped\n" + Describe(seed, router));
        Assert.DoesNotContain($"dport {tcp.ExternalPort.ToString(CultureInfo.InvariantCulture)} ", await router.RedirectRulesAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Waits, bounded, until miniupnpd's lease file has our TCP and UDP port (to the lan host) and
    /// our seed has printed a portmap event for each; returns the TCP lease, the UDP lease and the events.
    /// </summary>
    private async Task<(NatLease Tcp, NatLease Udp, IReadOnlyList<string> Lines)> WaitForMappingsAsync(NatRouter router, ToolProcess seed)
    {
        var deadline = DateTime.UtcNow + MapTimeout;
        while (true)
        {
            var ours = router.Leases().Where(l => l.InternalAddress == router.LanHost.ToString() && l.InternalPort == OurPort).ToList();
            var tcp = ours.FirstOrDefault(l => l.Protocol == "TCP");
            var udp = ours.FirstOrDefault(l => l.Protocol == "UDP");
            var lines = Events(seed, "portmap");
            if (tcp is not null && udp is not null && lines.Count >= 2)
            {
                output.WriteLine(string.Join('\n', lines));
                return (tcp, udp, lines);
            }

            if (seed.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no TCP and UDP mapping of port {OurPort} (leases: {string.Join("; ", router.Leases())}; portmap events: {lines.Count})\n{Describe(seed, router)}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<string> WaitForEventAsync(ToolProcess seed, string name, TimeSpan timeout, NatRouter router)
    {
        try
        {
            return await seed.WaitForLineAsync(line => IsEvent(line, name), timeout);
        }
        catch (ToolFailedException ex)
        {
            throw new ToolFailedException($"no {name} event: {ex.Message}\n{Describe(seed, router)}", ex);
        }
    }

    private ToolProcess StartOurSeed(NatRouter router, string torrent)
    {
        var seed = router.StartIn(
            router.LanNamespace,
            "dotnet",
            [OurCli.DllPath, "seed", torrent, "--data", _data.PathOf("seed"), "--listen", router.LanHost.ToString(), "--port", OurPort.ToString(CultureInfo.InvariantCulture), "--no-dht", "--json", "--timeout", "150"]);
        return seed;
    }

    private async Task<string> CreateTorrentAsync()
    {
        _data.CreateFile("seed/" + FileName, Size, seed: 1613);
        string torrent = _data.PathOf("level.torrent");
        await Libtorrent.CreateAsync(new LtCreateOptions(_data.PathOf("seed/" + FileName), torrent) { PieceSize = 256 * 1024 });
        return torrent;
    }

    private void AssertSameData(string folder) =>
        Assert.Equal(
            SHA256.HashData(File.ReadAllBytes(_data.PathOf("seed/" + FileName))),
            SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, FileName))));

    private static List<string> Events(ToolProcess process, string name) =>
        [.. process.StandardOutput.Split('\n').Where(line => IsEvent(line, name))];

    private static bool IsEvent(string line, string name) =>
        line.StartsWith('{') && EventName().Match(line) is { Success: true } match && match.Groups[1].Value == name;

    private static string Describe(ToolProcess seed, NatRouter router) =>
        $"our stdout:\n{seed.StandardOutput}\nour stderr:\n{seed.StandardError}\nminiupnpd:\n{router.MiniupnpdLog}";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);

    [GeneratedRegex("\"event\"\\s*:\\s*\"([a-z_]+)\"", RegexOptions.None, 1000)]
    private static partial Regex EventName();
}
