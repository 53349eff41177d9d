using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using GodotTorrent.Alerts;
using GodotTorrent.Cli.Output;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>The options <c>download</c> and <c>seed</c> share: peers to dial, where to listen, how long to run, JSON.</summary>
internal sealed class NetworkOptions
{
    public Option<IReadOnlyList<DnsEndPoint>> Peers { get; } = new("--peer")
    {
        Description = "A peer to connect to, HOST:PORT ([::1]:PORT for IPv6); repeatable. Dialled again every few seconds while not connected.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = CommandLineValues.ParsePeers,
        DefaultValueFactory = _ => [],
        HelpName = "HOST:PORT",
    };

    public Option<int> Port { get; } = new("--port")
    {
        Description = "Port to accept peers on; 0 or absent picks a free port (printed at start).",
        CustomParser = CommandLineValues.IntInRange("--port", 0, 65535, 0),
        HelpName = "N",
    };

    public Option<IReadOnlyList<string>> Listen { get; } = new("--listen")
    {
        Description = "Where to accept peers: an interface name or address, with an optional port (eth0, eth0:6881, 127.0.0.1, [::1]:6881); repeatable. "
            + "A name means every address of that interface. Default: every IPv4 and IPv6 interface.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = CommandLineValues.InterfaceEntries("--listen", allowPort: true),
        DefaultValueFactory = _ => [],
        HelpName = "IF|ADDRESS[:PORT]",
    };

    public Option<IReadOnlyList<string>> OutgoingInterface { get; } = new("--outgoing-interface")
    {
        Description = "Connect to peers over TCP from this interface's (or address's) address only; repeatable.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = CommandLineValues.InterfaceEntries("--outgoing-interface", allowPort: false),
        DefaultValueFactory = _ => [],
        HelpName = "IF|ADDRESS",
    };

    public Option<int> Timeout { get; } = new("--timeout")
    {
        Description = "Stop after this many seconds; 0 or absent: no limit (Ctrl-C stops).",
        CustomParser = CommandLineValues.IntInRange("--timeout", 0, int.MaxValue / 1000, 0),
        HelpName = "SECONDS",
    };

    public Option<long> MaxUp { get; } = new("--max-up")
    {
        Description = "Upload limit in bytes per second (500K, 2M); 0 or absent: unlimited.",
        CustomParser = CommandLineValues.Rate("--max-up"),
        HelpName = "B/s",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write JSON lines on stdout: a 'listening' event, one status object per second (with eta_seconds), each distinct tracker, web seed or DHT error once, and a final event.",
    };

    public Option<bool> NoDht { get; } = new("--no-dht")
    {
        Description = "Do not join the DHT. Without this option the DHT is on, bootstrapping from the public routers (or --dht-bootstrap).",
    };

    public Option<bool> NoLsd { get; } = new("--no-lsd")
    {
        Description = "Do not use local service discovery (BEP 14 multicast on the local network). Without this option it is on.",
    };

    public Option<IReadOnlyList<string>> DhtBootstrap { get; } = new("--dht-bootstrap")
    {
        Description = "A DHT node to bootstrap from instead of the public routers, HOST:PORT ([::1]:PORT for IPv6); repeatable.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = CommandLineValues.ParseBootstrapNodes,
        DefaultValueFactory = _ => [],
        HelpName = "HOST:PORT",
    };

    public Option<bool> NoPortMapping { get; } = new("--no-port-mapping")
    {
        Description = "Do not ask the router to forward the listen port. Without this option UPnP and NAT-PMP are asked, and each mapping is printed.",
    };

    public Option<EncryptionPolicy> Encryption { get; } = EncryptionOption.Create();

    public Option<TransportOption.Choice> Transport { get; } = TransportOption.Create();

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Peers, Port, Listen, OutgoingInterface, Timeout, MaxUp, Encryption, Transport, NoDht, NoLsd, DhtBootstrap, NoPortMapping, Json })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Adds the options in groups, so a command can put its own between them (help lists options
    /// in the order they were added): the network ones, the limits (<c>--max-up</c>,
    /// <c>--timeout</c>), then <c>--json</c> last by <see cref="AddOutputTo"/>.
    /// </summary>
    public void AddNetworkTo(Command command)
    {
        foreach (Option option in new Option[] { Peers, Port, Listen, OutgoingInterface, Encryption, Transport, NoDht, NoLsd, DhtBootstrap, NoPortMapping })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The limit options (<c>--max-up</c>, <c>--timeout</c>); see <see cref="AddNetworkTo"/>.</summary>
    public void AddLimitsTo(Command command)
    {
        command.Options.Add(MaxUp);
        command.Options.Add(Timeout);
    }

    /// <summary>The output option (<c>--json</c>); see <see cref="AddNetworkTo"/>.</summary>
    public void AddOutputTo(Command command) => command.Options.Add(Json);

    /// <summary>
    /// Session settings from the options: the listen port and addresses, encryption, transports, the
    /// DHT (on with the public routers unless <c>--no-dht</c>; <c>--dht-bootstrap</c> replaces the
    /// routers), LSD (on unless <c>--no-lsd</c>), port mapping (UPnP and NAT-PMP on unless
    /// <c>--no-port-mapping</c>); everything else as the library's defaults.
    /// </summary>
    public SessionSettings Settings(ParseResult parse)
    {
        int port = parse.GetValue(Port);
        var listen = parse.GetRequiredValue(Listen);
        // Connect alerts too: a dial that fails its handshake is worth naming when nothing arrives.
        var settings = TransportOption.Apply(
            EncryptionOption.Apply(
                new SessionSettings { ListenPort = port, ListenPortRange = 1, AlertMask = AlertCategory.Default | AlertCategory.Connect },
                parse.GetValue(Encryption)),
            parse.GetValue(Transport));
        var bootstrap = parse.GetRequiredValue(DhtBootstrap);
        settings = settings with
        {
            EnableDht = !parse.GetValue(NoDht),
            // Commands without --no-lsd (dht-get, dht-put) have no torrents to announce.
            EnableLsd = parse.CommandResult.Command.Options.Contains(NoLsd) && !parse.GetValue(NoLsd),
            DhtBootstrapNodes = bootstrap.Count > 0 ? bootstrap : SessionSettings.PublicDhtRouters,
        };
        // dht-get and dht-put take no --outgoing-interface (they dial no peers): absent there.
        settings = settings with { OutgoingInterfaces = parse.GetValue(OutgoingInterface) ?? [] };

        // Only download and seed take --no-port-mapping; the DHT item commands never map.
        if (parse.CommandResult.Command.Options.Contains(NoPortMapping) && !parse.GetValue(NoPortMapping))
        {
            settings = settings with { EnableUpnp = true, EnableNatPmp = true, AlertMask = settings.AlertMask | AlertCategory.PortMapping };
        }

        return listen.Count > 0 ? settings with { ListenInterfaces = listen } : settings;
    }

    /// <summary>The <c>--peer</c> endpoints, host names resolved (every address a name resolves to).</summary>
    public async Task<IReadOnlyList<IPEndPoint>> ResolvePeersAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var endPoints = new List<IPEndPoint>();
        foreach (var peer in parse.GetRequiredValue(Peers))
        {
            if (IPAddress.TryParse(peer.Host, out var address))
            {
                endPoints.Add(new IPEndPoint(address, peer.Port));
                continue;
            }

            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(peer.Host, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                throw new CliException($"--peer {peer.Host}: cannot resolve the host name ({ex.Message})", ex);
            }

            endPoints.AddRange(addresses.Select(a => new IPEndPoint(a, peer.Port)));
        }

        return endPoints;
    }

    /// <summary>
    /// Fails the command when the session could not listen where it was told: a named interface
    /// that does not exist or has no address, an explicit port (<c>--port</c>, or one in a
    /// <c>--listen</c> entry) taken on any listen address (a peer told that port would reach
    /// someone else, or nobody), or no listener at all. The library only posts an alert and goes on.
    /// </summary>
    public static void EnsureListening(TorrentSession session)
    {
        var settings = session.Settings;
        var failures = session.ListenFailures;
        // A name that gave no address at all is reported on 0.0.0.0, which no interface has.
        if (failures.FirstOrDefault(f => f.InterfaceName is not null && f.Address.Equals(IPAddress.Any)) is { } unknown)
        {
            throw new CliException($"--listen {unknown.InterfaceName}: {unknown.Reason}");
        }

        var wanted = settings.ListenInterfaces.Count > 0 ? [] : settings.ListenAddresses.Where(a =>
            a.AddressFamily != AddressFamily.InterNetworkV6 || (settings.EnableIPv6 && Socket.OSSupportsIPv6));
        var missing = wanted.Where(a => !session.ListenEndPoints.Any(e => e.Address.Equals(a))).ToList();
        bool entryPort = settings.ListenInterfaces.Any(e => GodotTorrent.Net.ListenEntry.Parse(e, allowPort: true, out _)?.Port is > 0);
        if ((settings.ListenPort != 0 || entryPort) && (missing.Count > 0 || failures.Count > 0))
        {
            // TCP and uTP both listen on the port: either one taken is a port peers cannot use.
            var where = failures.Select(f => $"{new IPEndPoint(f.Address, f.Port)} ({(f.Transport == PeerTransport.Utp ? "uTP/UDP" : "TCP")}{(f.InterfaceName is { } name ? ", " + name : "")})")
                .Concat(missing.Where(a => !failures.Any(f => f.Address.Equals(a))).Select(a => new IPEndPoint(a, settings.ListenPort).ToString()));
            string option = settings.ListenPort != 0 ? $"--port {settings.ListenPort.ToString(CultureInfo.InvariantCulture)}" : "--listen";
            throw new CliException($"{option}: cannot listen on {string.Join(", ", where)} (is another program using the port?)");
        }

        if (session.ListenEndPoints.Count == 0)
        {
            throw new CliException("cannot listen on any address (see --listen)");
        }

        // The library fails each dial through a name with no address; a typo should fail at once instead.
        var unresolved = new List<string>();
        GodotTorrent.Net.InterfaceResolver.Outgoing(settings.OutgoingInterfaces, GodotTorrent.Net.LocalInterface.FromSystem(), unresolved);
        if (unresolved.Count > 0)
        {
            throw new CliException($"--outgoing-interface {unresolved[0]}: there is no network interface named '{unresolved[0]}' with an address");
        }
    }

    /// <summary>Announces where the session listens: a JSON event on stdout, or a line on stderr.</summary>
    public static void ReportListening(CliConsole console, TorrentSession session, bool json)
    {
        var endPoints = session.ListenEndPoints.Select(e => e.ToString()).ToList();
        if (json)
        {
            var report = new ListeningReport("listening", session.ListenPort, endPoints);
            console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Lines.ListeningReport));
            console.Out.Flush();
        }
        else
        {
            string where = endPoints.Count > 0 ? string.Join(", ", endPoints) : "nowhere (no listen address)";
            console.Error.WriteLine($"Listening on port {session.ListenPort.ToString(CultureInfo.InvariantCulture)} ({where})");
        }
    }
}
