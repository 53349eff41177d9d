using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// MSE/PE (step 09) against Transmission 3.00 with <c>"encryption": 2</c> (required: MSE with RC4
/// only), both directions, 64 MiB in five files (v1: Transmission cannot read hybrids). We dial
/// Transmission both ways (it dials no loopback peer): at our defaults when it seeds (we offer MSE
/// first and it picks RC4), forced to RC4 when we seed.
/// </summary>
public sealed class TransmissionEncryptionInteropTests(ITestOutputHelper output) : SwarmInteropTests(output)
{
    private const int Required = 2;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Encryption_transmission_required_seeds_we_download_at_defaults()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await TransmissionPeer.StartSeedAsync(path, SeedDir, Data.PathOf("transmission"), Required);
        PeerEncryptionWatch? watch = null;
        TorrentSession? session = null;
        try
        {
            await DownloadWithUsAsync(
                "Transmission required -> Godot-Torrent (defaults)",
                torrent,
                [seed.EndPoint],
                Timeout,
                () => seed.Process.StandardError,
                added: (s, h) => (session, watch) = (s, PeerEncryptionWatch.Start(h)));

            AssertSameFiles();
            Assert.True(watch!.Seen.SetEquals([PeerEncryption.Rc4]), "expected RC4 only; seen: " + watch.Describe());
            Assert.True((await session!.GetStatisticsAsync()).EncryptedConnections >= 1);
            Assert.True((await seed.GetStatusAsync()).UploadedEver >= TotalSize);
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
    public async Task Encryption_we_seed_forced_rc4_transmission_required_downloads()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        var (session, handle) = await StartOurSeedAsync(torrent, Timeout, LibtorrentEncryptionInteropTests.ForcedRc4);
        await using var watch = PeerEncryptionWatch.Start(handle);
        using var download = await TransmissionPeer.StartDownloadAsync(path, OutDir, Data.PathOf("transmission"), Required);

        await handle.ConnectPeerAsync(download.EndPoint);
        var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);

        Report("Godot-Torrent (forced RC4) -> Transmission required", result);
        AssertPayload(result.Bytes, torrent);
        AssertSameFiles();
        Assert.True(watch.Seen.SetEquals([PeerEncryption.Rc4]), "expected RC4 only; seen: " + watch.Describe());
        Assert.True((await handle.GetStatusAsync()).TotalPayloadUpload >= TotalSize);
    }
}
