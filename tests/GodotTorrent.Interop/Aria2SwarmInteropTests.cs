using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Godot-Torrent against aria2 1.36, both directions. aria2 dials nobody without a tracker
/// (trackers are excluded here), so we dial its listen port in both directions.
/// </summary>
public sealed class Aria2SwarmInteropTests(ITestOutputHelper output) : SwarmInteropTests(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SwarmInterop_aria2_seeds_we_download()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await Aria2Peer.StartSeedAsync(path, SeedDir);

        await DownloadWithUsAsync("aria2 -> Godot-Torrent (V1)", torrent, [seed.EndPoint], Timeout, () => seed.Process.StandardOutput + seed.Process.StandardError);

        AssertSameFiles();
    }

    [Fact]
    public async Task SwarmInterop_we_seed_aria2_downloads()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        var (session, handle) = await StartOurSeedAsync(torrent, Timeout);
        using var download = await Aria2Peer.StartDownloadAsync(path, OutDir);

        // aria2 dials nobody without a tracker: we dial it.
        await handle.ConnectPeerAsync(download.EndPoint);
        var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);

        Report("Godot-Torrent -> aria2 (V1)", result with { Bytes = TotalSize });
        AssertSameFiles();
        Assert.True((await handle.GetStatusAsync()).TotalPayloadUpload >= TotalSize);
    }
}
