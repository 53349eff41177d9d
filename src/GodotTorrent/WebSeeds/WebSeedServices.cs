using GodotTorrent.Engine;

namespace GodotTorrent.WebSeeds;

/// <summary>What one web seed takes from its session: HTTP, the clock, the loop and the runner, and the settings it started with.</summary>
internal sealed record WebSeedServices(
    HttpMessageHandler Handler, TimeProvider Time, EngineLoop Loop, IBackgroundRunner Background,
    int ConnectionsPerServer, TimeSpan RequestTimeout, string UserAgent);
