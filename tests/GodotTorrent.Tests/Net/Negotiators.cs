using GodotTorrent.Net.Encryption;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Net;

/// <summary>Negotiators for tests: fixed settings, a seeded random source unless a real one is asked for.</summary>
internal static class Negotiators
{
    public static ConnectionNegotiator Create(ITorrentDirectory torrents, TimeProvider? time = null, SessionSettings? settings = null, int seed = 1, PeerId? id = null)
    {
        var fixedSettings = settings ?? SessionSettings.Default;
        return new ConnectionNegotiator(id ?? PeerId.Generate(), torrents, time ?? TimeProvider.System, () => fixedSettings, RandomBytes.Seeded(seed));
    }

    /// <summary>A directory of fixed wire hashes.</summary>
    public sealed class Directory(params Id20[] known) : ITorrentDirectory
    {
        public List<Id20> Known { get; } = [.. known];

        public bool AcceptsPeers(Id20 wireHash) => Known.Contains(wireHash);

        public IEnumerable<Id20> WireHashes() => Known.ToList();
    }
}
