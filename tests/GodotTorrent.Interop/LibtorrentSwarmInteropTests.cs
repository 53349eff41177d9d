using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Godot-Torrent against libtorrent 2.0 (lt_tool.py), both directions, v1, hybrid and v2-only.
/// libtorrent dials the peers it is given, and so do we.
/// </summary>
public sealed class LibtorrentSwarmInteropTests(ITestOutputHelper output) : SwarmInteropTests(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    public async Task SwarmInterop_libtorrent_seeds_we_download(TorrentVersion version)
    {
        var (path, torrent) = await CreateTorrentAsync(version);
        using var seed = await LibtorrentPeer.StartSeedAsync(path, SeedDir);

        await DownloadWithUsAsync($"libtorrent -> Godot-Torrent ({version})", torrent, [seed.EndPoint], Timeout, () => seed.Process.StandardError);

        AssertSameFiles();
    }

    [Theory]
    [InlineData(TorrentVersion.Hybrid)]
    [InlineData(TorrentVersion.V2)]
    public async Task SwarmInterop_we_seed_libtorrent_downloads(TorrentVersion version)
    {
        var (path, torrent) = await CreateTorrentAsync(version);
        var (session, handle) = await StartOurSeedAsync(torrent, Timeout);

        // libtorrent dials our port (its --peer); we could as well dial it with ConnectPeerAsync.
        using var download = await LibtorrentPeer.StartDownloadAsync(path, OutDir, [new(System.Net.IPAddress.Loopback, session.ListenPort)]);
        var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);

        Report($"Godot-Torrent -> libtorrent ({version})", result);
        AssertPayload(result.Bytes, torrent);
        AssertSameFiles();
        Assert.True((await handle.GetStatusAsync()).TotalPayloadUpload >= TotalSize);
    }
}
