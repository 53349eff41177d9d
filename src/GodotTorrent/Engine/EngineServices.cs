using GodotTorrent.Session;
using GodotTorrent.Storage;
using GodotTorrent.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GodotTorrent.Engine;

/// <summary>
/// Everything a session takes from the outside world, in one place: the clock, the network, the
/// disk, logs, randomness, where background work runs and how its loop is made. Production
/// builds it from <see cref="TorrentSessionOptions"/> with real defaults; a simulation swaps in
/// a virtual clock, an in-memory network and disk, a seeded random source and a stepped scheduler.
/// </summary>
internal sealed record EngineServices
{
    public required TimeProvider Time { get; init; }

    public required ITransport Transport { get; init; }

    /// <summary>Lists the machine's network interfaces when an entry of the settings names one (tests give their own).</summary>
    public Func<IReadOnlyList<LocalInterface>> NetworkInterfaces { get; init; } = LocalInterface.FromSystem;

    /// <summary>Binds the UDP sockets that uTP (and later the DHT) share.</summary>
    public required IDatagramNetwork Datagrams { get; init; }

    public required IPieceStorageFactory StorageFactory { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>Makes an independent random generator for one consumer (choker, picker, trackers, peer id).</summary>
    public required Func<Random> CreateRandom { get; init; }

    /// <summary>True when <see cref="CreateRandom"/> is seeded: then even the peer id comes from it.</summary>
    public bool IsSeeded { get; init; }

    public required IBackgroundRunner Background { get; init; }

    /// <summary>Makes the session's loop; the argument reports work items that failed.</summary>
    public required Func<Action<Exception>, EngineLoop> CreateLoop { get; init; }

    /// <summary>Peer sources every torrent gets besides its trackers and peer exchange (DHT, LSD); none by default.</summary>
    public IReadOnlyList<Discovery.PeerSourceFactory> PeerSources { get; init; } = [];

    /// <summary>Makes the HTTP handler of web seeds and HTTP trackers.</summary>
    public required Func<HttpMessageHandler> CreateHttpHandler { get; init; }

    /// <summary>Makes the session's DHT node when the DHT is switched on (tests inject a fake).</summary>
    public Func<Dht.DhtFactoryArgs, Dht.IDht> CreateDht { get; init; } = Dht.DhtDefaults.Create;

    /// <summary>Makes the UPnP IGD port mapper when <see cref="SessionSettings.EnableUpnp"/> is on (tests point it at a fake gateway).</summary>
    public Nat.PortMapperFactory? CreateUpnp { get; init; }

    /// <summary>Makes the NAT-PMP/PCP port mapper when <see cref="SessionSettings.EnableNatPmp"/> is on (tests point it at a fake gateway).</summary>
    public Nat.PortMapperFactory? CreateNatPmp { get; init; }

    public static EngineServices From(TorrentSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new EngineServices
        {
            Time = options.TimeProvider,
            Transport = options.Transport ?? TcpTransport.Instance,
            NetworkInterfaces = options.NetworkInterfaces ?? LocalInterface.FromSystem,
            Datagrams = options.Datagrams ?? new UdpNetwork(options.LoggerFactory ?? NullLoggerFactory.Instance),
            StorageFactory = options.StorageFactory,
            LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance,
            CreateRandom = RandomSource(options.RandomSeed),
            IsSeeded = options.RandomSeed is not null,
            Background = options.BackgroundRunner ?? ThreadPoolRunner.Instance,
            CreateLoop = options.LoopFactory ?? (onError => new ThreadedEngineLoop("godot-torrent engine", onError)),
            CreateHttpHandler = options.HttpHandlerFactory ?? (() => new SocketsHttpHandler()),
            PeerSources = options.PeerSources ?? [],
            CreateDht = options.DhtFactory ?? Dht.DhtDefaults.Create,
            CreateUpnp = options.UpnpFactory ?? Nat.Upnp.UpnpMapper.Create,
            CreateNatPmp = options.NatPmpFactory ?? Nat.NatPmp.NatPmpMapper.Create,
        };
    }

    private static Func<Random> RandomSource(int? seed)
    {
        if (seed is null)
        {
            return static () => new Random();
        }

        // Consumers are created on the loop in a fixed order, so one seed gives one sequence of generators.
        var master = new Random(seed.Value);
        return () =>
        {
            lock (master)
            {
                return new Random(master.Next());
            }
        };
    }
}
