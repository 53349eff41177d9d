using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// uTP (BEP 29, step 10) against Transmission 3.00 with <c>"utp-enabled": true</c>, both
/// directions, 64 MiB in five files (v1: Transmission cannot read hybrids), our session with TCP
/// off so only uTP can carry the data. Transmission dials no loopback peer, so we dial its peer
/// port (UDP) both ways; it idles about 10 s (its choke cycle) before the first byte.
/// </summary>
public sealed class TransmissionUtpInteropTests(ITestOutputHelper output) : SwarmInteropTests(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Utp_transmission_seeds_we_download_without_tcp()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await TransmissionPeer.StartSeedAsync(path, SeedDir, Data.PathOf("transmission"), utp: true);
        PeerEncryptionWatch? watch = null;
        try
        {
            await DownloadWithUsAsync(
                "Transmission uTP -> Godot-Torrent (TCP off)",
                torrent,
                [seed.EndPoint],
                Timeout,
                () => seed.Process.StandardError,
                LibtorrentUtpInteropTests.UtpOnly,
                (_, h) => watch = PeerEncryptionWatch.Start(h));

            Output.WriteLine("our peers: " + watch!.Describe());
            AssertSameFiles();
            LibtorrentUtpInteropTests.AssertOnlyUtp(watch!);
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
    public async Task Utp_we_seed_without_tcp_transmission_downloads()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        var (session, handle) = await StartOurSeedAsync(torrent, Timeout, LibtorrentUtpInteropTests.UtpOnly);
        await using var watch = PeerEncryptionWatch.Start(handle);
        using var download = await TransmissionPeer.StartDownloadAsync(path, OutDir, Data.PathOf("transmission"), utp: true);

        // Transmission dials no loopback peer: we dial it, and with TCP off only over uTP.
        await handle.ConnectPeerAsync(download.EndPoint);
        var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);

        Report("Godot-Torrent (TCP off) -> Transmission uTP", result);
        Output.WriteLine("our peers: " + watch.Describe());
        AssertPayload(result.Bytes, torrent);
        AssertSameFiles();
        LibtorrentUtpInteropTests.AssertOnlyUtp(watch);
        Assert.True((await handle.GetStatusAsync()).TotalPayloadUpload >= TotalSize);
    }
}
