using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Godot-Torrent against Transmission 3.00 (transmission-daemon over JSON-RPC), both directions.
/// Transmission never dials 127.x peers, so we dial its peer port in both directions. It shows
/// interest and unchokes only at its 10 s choke cycle: about 14 s to the first byte.
/// </summary>
public sealed class TransmissionSwarmInteropTests(ITestOutputHelper output) : SwarmInteropTests(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SwarmInterop_transmission_seeds_we_download()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await TransmissionPeer.StartSeedAsync(path, SeedDir, Data.PathOf("transmission"));

        await DownloadWithUsAsync("Transmission -> Godot-Torrent (V1)", torrent, [seed.EndPoint], Timeout, () => seed.Process.StandardError);

        AssertSameFiles();
        Assert.True((await seed.GetStatusAsync()).UploadedEver >= TotalSize);
    }

    [Fact]
    public async Task SwarmInterop_we_seed_transmission_downloads()
    {
        // Transmission 3.00 cannot parse hybrid torrents at all (libtorrent's neither): v1 only.
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        var (session, handle) = await StartOurSeedAsync(torrent, Timeout);
        using var download = await TransmissionPeer.StartDownloadAsync(path, OutDir, Data.PathOf("transmission"));

        // Transmission dials no loopback peer: we dial it.
        await handle.ConnectPeerAsync(download.EndPoint);
        var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);

        Report("Godot-Torrent -> Transmission (V1)", result);
        AssertPayload(result.Bytes, torrent);
        AssertSameFiles();
        Assert.True((await handle.GetStatusAsync()).TotalPayloadUpload >= TotalSize);
    }
}
