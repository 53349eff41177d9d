using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// MSE/PE (step 09) against aria2 1.36 with <c>--bt-require-crypto=true
/// --bt-min-crypto-level=arc4</c>, both directions, 64 MiB in five files (v1). aria2 dials nobody
/// here, so we dial it both ways: forced to RC4 when it seeds, at our defaults when we seed (we
/// offer MSE first and it picks RC4).
/// </summary>
public sealed class Aria2EncryptionInteropTests(ITestOutputHelper output) : SwarmInteropTests(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Encryption_aria2_requiring_rc4_seeds_we_download_forced_rc4()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await Aria2Peer.StartSeedAsync(path, SeedDir, requireRc4: true);
        PeerEncryptionWatch? watch = null;
        TorrentSession? session = null;
        try
        {
            await DownloadWithUsAsync(
                "aria2 require RC4 -> Godot-Torrent (forced RC4)",
                torrent,
                [seed.EndPoint],
                Timeout,
                () => seed.Process.StandardOutput + seed.Process.StandardError,
                LibtorrentEncryptionInteropTests.ForcedRc4,
                (s, h) => (session, watch) = (s, PeerEncryptionWatch.Start(h)));

            AssertSameFiles();
            Assert.True(watch!.Seen.SetEquals([PeerEncryption.Rc4]), "expected RC4 only; seen: " + watch.Describe());
            Assert.True((await session!.GetStatisticsAsync()).EncryptedConnections >= 1);
        }
        finally
        {
            if (watch is not null)
            {
                await watch.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Encryption_we_seed_at_defaults_aria2_requiring_rc4_downloads()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        var (session, handle) = await StartOurSeedAsync(torrent, Timeout);
        await using var watch = PeerEncryptionWatch.Start(handle);
        using var download = await Aria2Peer.StartDownloadAsync(path, OutDir, requireRc4: true);

        await handle.ConnectPeerAsync(download.EndPoint);
        var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);

        Report("Godot-Torrent (defaults) -> aria2 require RC4", result with { Bytes = TotalSize });
        AssertSameFiles();
        Assert.True(watch.Seen.SetEquals([PeerEncryption.Rc4]), "expected RC4 only; seen: " + watch.Describe());
        Assert.True((await handle.GetStatusAsync()).TotalPayloadUpload >= TotalSize);
    }
}
