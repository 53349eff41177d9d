using GodotTorrent.Storage;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Session;

/// <summary>
/// What a session is built from besides its settings: where time, storage and logs come from,
/// and where events are raised. Tests inject their own; apps rarely change the defaults.
/// </summary>
public sealed record TorrentSessionOptions
{
    /// <summary>Where the session logs (nothing by default).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock for timeouts, rates and choking (the system clock by default).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Creates the storage of each torrent (files on disk by default).</summary>
    public IPieceStorageFactory StorageFactory { get; init; } = new FileStorageFactory();

    /// <summary>
    /// A folder for resume data. When set, the resume data of torrents that changed is written
    /// there as <c>&lt;info-hash&gt;.resume</c> (atomically) every
    /// <see cref="SessionSettings.ResumeDataInterval"/> and when the session stops, each time with a
    /// <see cref="Alerts.SaveResumeDataAlert"/>. Null (the default): nothing is written on its own.
    /// </summary>
    public string? ResumeDataFolder { get; init; }

    /// <summary>
    /// Where alert events are raised. Null (the default) captures
    /// <see cref="SynchronizationContext.Current"/> when the session is created: in Godot that is
    /// the main thread.
    /// </summary>
    public SynchronizationContext? SynchronizationContext { get; init; }

    /// <summary>Tracker time-outs, retry intervals and limits (tests shorten them); the user agent always comes from the settings.</summary>
    internal Trackers.TrackerOptions? TrackerOptions { get; init; }

    // Simulation seams (see Engine.EngineServices); null means the production default.
    internal Net.ITransport? Transport { get; init; }

    /// <summary>The machine's network interfaces, for listen and outgoing entries that name one.</summary>
    internal Func<IReadOnlyList<Net.LocalInterface>>? NetworkInterfaces { get; init; }

    internal Net.IDatagramNetwork? Datagrams { get; init; }

    internal Engine.IBackgroundRunner? BackgroundRunner { get; init; }

    internal Func<Action<Exception>, Engine.EngineLoop>? LoopFactory { get; init; }

    internal int? RandomSeed { get; init; }

    internal Func<HttpMessageHandler>? HttpHandlerFactory { get; init; }

    internal IReadOnlyList<Discovery.PeerSourceFactory>? PeerSources { get; init; }

    internal Func<Dht.DhtFactoryArgs, Dht.IDht>? DhtFactory { get; init; }

    internal Nat.PortMapperFactory? UpnpFactory { get; init; }

    internal Nat.PortMapperFactory? NatPmpFactory { get; init; }

    // Where LSD talks; null: BEP 14's multicast groups. Tests use unicast endpoints instead.
    internal IReadOnlyList<Discovery.LsdGroup>? LsdGroups { get; init; }
}
