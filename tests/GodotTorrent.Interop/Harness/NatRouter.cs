using System.Globalization;
using System.Net;
using System.Text;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// A home router made of three network namespaces the test creates (REAL_PEERS.md, "UPnP IGD and
/// NAT-PMP: miniupnpd 2.3.1 in namespaces"): <c>lan</c> (one host, default route via the router),
/// <c>router</c> (IP forwarding, nftables NAT with the chains miniupnpd's nftables backend
/// fills, miniupnpd in the foreground) and <c>wan</c> (one host, no route to the lan, and a STUN
/// responder: miniupnpd forwards nothing while its external address is private unless STUN says
/// the address is reachable). <see cref="NetNamespace"/> makes them, with the veth ends created
/// straight into them; nothing has a route out. Names and subnets are unique per instance.
/// Processes started with <see cref="StartIn"/> are tracked; disposing kills every one by PID and
/// deletes the namespaces, each step bounded. Needs root.
/// </summary>
public sealed class NatRouter : IAsyncDisposable
{
    /// <summary>miniupnpd's HTTP port on the router's lan address (UPnP description and control).</summary>
    public const int UpnpHttpPort = 5000;

    /// <summary>NAT-PMP and PCP (RFC 6886, 6887).</summary>
    public const int NatPmpPort = 5351;

    public const int StunPort = 3478;

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private static int s_instances;

    private readonly List<NetNamespace> _namespaces = [];
    private readonly List<ToolProcess> _started = [];
    private readonly object _gate = new();
    private readonly StringBuilder _miniupnpdLog = new();
    private ToolProcess? _miniupnpd;
    private ToolProcess? _stun;
    private bool _disposed;

    private NatRouter(string folder, NatRouterOptions options, int instance)
    {
        Folder = folder;
        Options = options;
        // 10.77.0.0/16 only ever exists inside these namespaces; two subnets per instance.
        int lanNet = 1 + (2 * (instance % 127));
        LanHost = IPAddress.Parse($"10.77.{lanNet.ToString(CultureInfo.InvariantCulture)}.2");
        RouterLanAddress = IPAddress.Parse($"10.77.{lanNet.ToString(CultureInfo.InvariantCulture)}.1");
        RouterWanAddress = IPAddress.Parse($"10.77.{(lanNet + 1).ToString(CultureInfo.InvariantCulture)}.1");
        WanHost = IPAddress.Parse($"10.77.{(lanNet + 1).ToString(CultureInfo.InvariantCulture)}.2");
        LanSubnet = $"10.77.{lanNet.ToString(CultureInfo.InvariantCulture)}.0/24";
    }

    public NatRouterOptions Options { get; }

    /// <summary>The router's files: miniupnpd.conf, router.nft, the lease file, the pid file.</summary>
    public string Folder { get; }

    public string LanNamespace => _namespaces[0].Name;

    public string RouterNamespace => _namespaces[1].Name;

    public string WanNamespace => _namespaces[2].Name;

    /// <summary>The one host address in the lan (our side runs there).</summary>
    public IPAddress LanHost { get; }

    /// <summary>The router's lan address: the lan's default gateway, where UPnP and NAT-PMP answer.</summary>
    public IPAddress RouterLanAddress { get; }

    /// <summary>The router's external address, the one mapped ports are reached on from the wan.</summary>
    public IPAddress RouterWanAddress { get; }

    /// <summary>The one host address in the wan (the STUN responder and the remote peers).</summary>
    public IPAddress WanHost { get; }

    public string LanSubnet { get; }

    public string LeaseFilePath => Path.Combine(Folder, "miniupnpd.leases");

    public bool MiniupnpdRunning => _miniupnpd is { HasExited: false };

    /// <summary>Everything miniupnpd wrote to stderr (it logs there with -d), over every run.</summary>
    public string MiniupnpdLog
    {
        get
        {
            lock (_gate)
            {
                return _miniupnpdLog.ToString() + (_miniupnpd?.StandardError ?? string.Empty);
            }
        }
    }

    /// <summary>Creates the namespaces and starts the STUN responder and miniupnpd; returns once miniupnpd forwards and listens.</summary>
    public static async Task<NatRouter> StartAsync(string folder, NatRouterOptions? options = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var router = new NatRouter(folder, options ?? new NatRouterOptions(), Interlocked.Increment(ref s_instances));
        try
        {
            await router.CreateNetworkAsync(cancellationToken);
            await router.StartStunAsync(cancellationToken);
            await router.StartMiniupnpdAsync(cancellationToken);
            return router;
        }
        catch
        {
            await router.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <paramref name="fileName"/> inside namespace <paramref name="netns"/> (<c>ip netns exec</c> execs it, so the PID is the tool's); killed on dispose.</summary>
    public ToolProcess StartIn(string netns, string fileName, IEnumerable<string> arguments)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // env puts SIGINT back to its default: a test runner started in the background has it ignored.
        var process = ToolProcess.Start("env", ["--default-signal=INT", "ip", "netns", "exec", netns, fileName, .. arguments]);
        lock (_gate)
        {
            _started.Add(process);
        }

        return process;
    }

    /// <summary>Runs a tool to completion inside <paramref name="netns"/>, bounded; a non-zero exit is returned, not thrown.</summary>
    public async Task<ToolResult> RunInAsync(string netns, string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var process = StartIn(netns, fileName, arguments);
        try
        {
            return await process.WaitForExitAsync(timeout, cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                _started.Remove(process);
            }
        }
    }

    /// <summary>
    /// Stops miniupnpd by PID: SIGTERM (it shuts down as a service stop would), then, if it is
    /// still there after a few seconds, SIGKILL. Nobody answers UPnP or NAT-PMP afterwards; the
    /// kernel keeps the redirects it made.
    /// </summary>
    public void StopMiniupnpd()
    {
        lock (_gate)
        {
            if (_miniupnpd is null)
            {
                return;
            }

            _miniupnpd.Signal("TERM");
            try
            {
                _miniupnpd.WaitForExitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            }
            catch (ToolFailedException)
            {
                // Killed by the wait; the log below says what it did.
            }

            _miniupnpd.Dispose();
            _miniupnpdLog.Append(_miniupnpd.StandardError);
            _miniupnpd = null;
        }
    }

    /// <summary>(Re)starts miniupnpd with this router's configuration; returns once it forwards and listens.</summary>
    public async Task StartMiniupnpdAsync(CancellationToken cancellationToken = default)
    {
        if (MiniupnpdRunning)
        {
            throw new InvalidOperationException("miniupnpd is running");
        }

        string config = Path.Combine(Folder, "miniupnpd.conf");
        await File.WriteAllTextAsync(config, MiniupnpdConfig(), cancellationToken);
        var process = ToolProcess.Start("ip", ["netns", "exec", RouterNamespace, "/usr/sbin/miniupnpd", "-f", config, "-d", "-P", Path.Combine(Folder, "miniupnpd.pid")]);
        lock (_gate)
        {
            _miniupnpd = process;
        }

        // With -d it logs to stderr; these lines come after STUN said the address is reachable.
        List<string> ready = ["Port forwarding is now enabled"];
        if (Options.EnableUpnp)
        {
            ready.Add("HTTP listening on port");
        }

        if (Options.EnableNatPmp)
        {
            ready.Add("Listening for NAT-PMP/PCP traffic");
        }

        var deadline = DateTime.UtcNow + StartTimeout;
        while (!ready.TrueForAll(line => process.StandardError.Contains(line, StringComparison.Ordinal)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                string log = process.StandardError.Trim();
                StopMiniupnpd();
                throw new ToolFailedException($"miniupnpd in {RouterNamespace} did not become ready (exited: {process.HasExited}); its log:\n{log}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>
    /// Drops TCP connection attempts to miniupnpd's HTTP port on the router (a table of its own):
    /// a UPnP client finds the gateway over SSDP but stays at connect, retrying its SYN, until
    /// <see cref="ReleaseUpnpHttpAsync"/>. Lets a test take miniupnpd away while UPnP is surely mid-way.
    /// </summary>
    public async Task HoldUpnpHttpAsync(CancellationToken cancellationToken = default)
    {
        string rules = Path.Combine(Folder, "hold.nft");
        await File.WriteAllTextAsync(
            rules,
            $"table inet hold {{\n  chain input {{\n    type filter hook input priority -10; policy accept;\n    tcp dport {UpnpHttpPort.ToString(CultureInfo.InvariantCulture)} drop\n  }}\n}}\n",
            cancellationToken);
        await ToolProcess.RunAsync("ip", ["netns", "exec", RouterNamespace, "nft", "-f", rules], CommandTimeout, cancellationToken: cancellationToken);
    }

    /// <summary>Undoes <see cref="HoldUpnpHttpAsync"/>: the client's next SYN reaches the router.</summary>
    public async Task ReleaseUpnpHttpAsync(CancellationToken cancellationToken = default) =>
        await ToolProcess.RunAsync("ip", ["netns", "exec", RouterNamespace, "nft", "delete", "table", "inet", "hold"], CommandTimeout, cancellationToken: cancellationToken);

    /// <summary>miniupnpd's lease file now (UPnP and NAT-PMP mappings; empty when it has none).</summary>
    public IReadOnlyList<NatLease> Leases()
    {
        try
        {
            return [.. File.ReadAllLines(LeaseFilePath).Select(NatLease.Parse).OfType<NatLease>()];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    /// <summary>The router's DNAT rules as nftables lists them (the mappings miniupnpd put in the kernel).</summary>
    public async Task<string> RedirectRulesAsync(CancellationToken cancellationToken = default)
    {
        var result = await ToolProcess.RunAsync(
            "ip", ["netns", "exec", RouterNamespace, "nft", "list", "chain", "inet", "filter", "prerouting_miniupnpd"], CommandTimeout, cancellationToken: cancellationToken);
        return result.StandardOutput;
    }

    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        List<ToolProcess> started;
        lock (_gate)
        {
            started = [.. _started];
            _started.Clear();
        }

        foreach (var process in started)
        {
            process.Dispose();
        }

        StopMiniupnpd();
        _stun?.Dispose();

        // A namespace goes once no process holds it; its veth ends go with it.
        foreach (var netns in _namespaces)
        {
            netns.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task CreateNetworkAsync(CancellationToken cancellationToken)
    {
        foreach (var role in new[] { "gtnat-lan", "gtnat-rtr", "gtnat-wan" })
        {
            cancellationToken.ThrowIfCancellationRequested();
            _namespaces.Add(await NetNamespace.CreateAsync(role));
        }

        var (lan, router, wan) = (_namespaces[0], _namespaces[1], _namespaces[2]);
        await NetNamespace.LinkAsync(router, "r-lan", [RouterLanAddress + "/24"], lan, "lan0", [LanHost + "/24"]);
        await NetNamespace.LinkAsync(router, "r-wan", [RouterWanAddress + "/24"], wan, "wan0", [WanHost + "/24"]);
        await lan.IpAsync("route", "add", "default", "via", RouterLanAddress.ToString());
        await ToolProcess.RunAsync("ip", ["netns", "exec", RouterNamespace, "sysctl", "-qw", "net.ipv4.ip_forward=1"], CommandTimeout, cancellationToken: cancellationToken);
        string rules = Path.Combine(Folder, "router.nft");
        await File.WriteAllTextAsync(rules, NftRules(), cancellationToken);
        await ToolProcess.RunAsync("ip", ["netns", "exec", RouterNamespace, "nft", "-f", rules], CommandTimeout, cancellationToken: cancellationToken);
    }

    private async Task StartStunAsync(CancellationToken cancellationToken)
    {
        _stun = ToolProcess.Start("ip", ["netns", "exec", WanNamespace, Libtorrent.Python, ScriptPath, "--lifetime", "900", "stun", WanHost.ToString(), StunPort.ToString(CultureInfo.InvariantCulture)]);
        await _stun.WaitForLineAsync(line => line.Contains("\"ready\"", StringComparison.Ordinal), StartTimeout, cancellationToken);
    }

    /// <summary>tools/nat_tool.py: the STUN responder, and one-shot TCP listen and connect.</summary>
    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "tools", "nat_tool.py");

    // The tables and chains miniupnpd's nftables backend expects (Debian's nft_init.sh does not work
    // here): it adds its accept rules to "miniupnpd" and its DNAT/SNAT to the two chains after it.
    private static string NftRules() => """
        table inet filter {
          chain forward {
            type filter hook forward priority 0; policy drop;
            ct state established,related accept
            iifname "r-lan" oifname "r-wan" accept
            jump miniupnpd
          }
          chain miniupnpd {
          }
          chain prerouting {
            type nat hook prerouting priority -100; policy accept;
            jump prerouting_miniupnpd
          }
          chain postrouting {
            type nat hook postrouting priority 100; policy accept;
            jump postrouting_miniupnpd
            oifname "r-wan" masquerade
          }
          chain prerouting_miniupnpd {
          }
          chain postrouting_miniupnpd {
          }
        }

        """;

    private string MiniupnpdConfig()
    {
        var text = new StringBuilder()
            .AppendLine("ext_ifname=r-wan")
            .AppendLine("listening_ip=r-lan")
            .AppendLine(CultureInfo.InvariantCulture, $"http_port={UpnpHttpPort}")
            .AppendLine(CultureInfo.InvariantCulture, $"enable_upnp={(Options.EnableUpnp ? "yes" : "no")}")
            .AppendLine(CultureInfo.InvariantCulture, $"enable_natpmp={(Options.EnableNatPmp ? "yes" : "no")}")
            .AppendLine("secure_mode=no")
            .AppendLine("system_uptime=yes")
            .AppendLine("ext_perform_stun=yes")
            .AppendLine(CultureInfo.InvariantCulture, $"ext_stun_host={WanHost}")
            .AppendLine(CultureInfo.InvariantCulture, $"ext_stun_port={StunPort}")
            .AppendLine(CultureInfo.InvariantCulture, $"uuid={Guid.NewGuid()}")
            .AppendLine(CultureInfo.InvariantCulture, $"lease_file={LeaseFilePath}")
            .AppendLine(CultureInfo.InvariantCulture, $"allow 1024-65535 {LanSubnet} 1024-65535")
            .AppendLine("deny 0-65535 0.0.0.0/0 0-65535");
        if (Options.PcpMaxLifetimeSeconds is { } max)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"min_lifetime={Math.Max(1, max / 2)}")
                .AppendLine(CultureInfo.InvariantCulture, $"max_lifetime={max}");
        }

        return text.ToString();
    }
}
