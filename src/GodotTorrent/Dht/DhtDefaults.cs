namespace GodotTorrent.Dht;

/// <summary>The production <see cref="IDht"/> the session makes when no test injects one.</summary>
internal static class DhtDefaults
{
    /// <summary>Makes the session's DHT node.</summary>
    /// <exception cref="NotSupportedException">Until the node is merged: the session then runs without a DHT and says so in a <see cref="Alerts.DhtErrorAlert"/>.</exception>
    public static IDht Create(DhtFactoryArgs args) => throw new NotSupportedException("The DHT node is not built into this version.");
}
