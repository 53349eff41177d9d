namespace GodotTorrent.Dht;

/// <summary>The production <see cref="IDht"/> the session makes when no test injects one.</summary>
internal static class DhtDefaults
{
    /// <summary>Makes the session's DHT node.</summary>
    public static IDht Create(DhtFactoryArgs args) =>
        new DhtEngine(args.Time, args.Random, args.Loggers, args.Post, args.Options, args.SavedState, args.CompletesInline);
}
