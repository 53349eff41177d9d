using System.Net;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.Integration;

/// <summary>A started loopback session with one small two-file torrent in it, for tests that need real handles.</summary>
internal sealed class IntegrationTorrent : IAsyncDisposable
{
    private readonly SwarmFixture _fixture = new();

    private IntegrationTorrent()
    {
    }

    public TorrentSession Session { get; private set; } = null!;

    public TorrentHandle Handle { get; private set; } = null!;

    public TorrentInfo Torrent { get; private set; } = null!;

    public string Key => Torrent.InfoHashes.Primary.ToHex().ToLowerInvariant();

    public static IPEndPoint Peer { get; } = new(IPAddress.Parse("10.1.2.3"), 51413);

    public static async Task<IntegrationTorrent> CreateAsync()
    {
        var result = new IntegrationTorrent();
        var seed = result._fixture.Folder("seed");
        result.Torrent = await result._fixture.CreateContentAsync(seed, "pack", [("a.bin", 40000), ("sub/b.bin", 30000)]);
        result.Session = await result._fixture.StartSessionAsync();
        result.Handle = await result.Session.AddTorrentAsync(new AddTorrentParams { Torrent = result.Torrent, SavePath = result._fixture.Folder("dl"), Paused = true });
        return result;
    }

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();
}
