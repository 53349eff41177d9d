using GodotTorrent.Engine;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Nat;

/// <summary>What a port mapper is made with: where to report, the session's clock, logs, HTTP handler and randomness.</summary>
internal sealed record PortMapperContext(
    IPortMapSink Sink,
    TimeProvider Time,
    ILoggerFactory LoggerFactory,
    Func<HttpMessageHandler> CreateHttpHandler,
    Func<Random> CreateRandom,
    IBackgroundRunner Background);
