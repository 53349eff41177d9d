using GodotTorrent.Alerts;
using GodotTorrent.Bencoding;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Dht;

/// <summary>What the session hands the code that makes its <see cref="IDht"/> (the real node, or a test's fake).</summary>
/// <param name="Time">The session's clock.</param>
/// <param name="Random">The node's own random source (seeded in simulation).</param>
/// <param name="Loggers">The session's logger factory.</param>
/// <param name="Post">Posts an alert to the session's alert queue (any thread).</param>
/// <param name="Options">The DHT settings in force.</param>
/// <param name="SavedState">The "dht" entry of saved session state, or null.</param>
/// <param name="CompletesInline">The sockets' <see cref="Net.IDatagramNetwork.CompletesInline"/>: true in simulation.</param>
internal sealed record DhtFactoryArgs(
    TimeProvider Time,
    Random Random,
    ILoggerFactory Loggers,
    Action<Alert> Post,
    DhtOptions Options,
    BDictionary? SavedState,
    bool CompletesInline);
