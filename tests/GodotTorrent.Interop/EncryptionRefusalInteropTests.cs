using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Our forced encryption policy against a libtorrent with MSE disabled (<c>in/out_enc_policy</c>
/// disabled): no connection either way and no data, and the reason in a
/// <see cref="HandshakeFailedAlert"/>. Every wait is for an alert or a line of libtorrent's
/// output, bounded; nothing sleeps.
/// </summary>
public sealed class EncryptionRefusalInteropTests(ITestOutputHelper output) : SwarmInteropTests(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Our forced session dials libtorrent: libtorrent drops our MSE offer; we never fall back to plaintext.</summary>
    [Fact]
    public async Task Encryption_our_forced_dial_to_libtorrent_without_mse_is_refused()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await LibtorrentPeer.StartSeedAsync(path, SeedDir, encryption: LtEncryption.Disabled);
        var session = await StartSessionAsync(LibtorrentEncryptionInteropTests.Forced);
        using var failures = new AlertWaiter<HandshakeFailedAlert>(session, a => !a.Incoming);
        using var connected = new AlertWaiter<PeerConnectedAlert>(session);

        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = OutDir, Peers = [seed.EndPoint] });
        var failure = (await failures.WaitAsync(1, Timeout))[0];

        Output.WriteLine(failure.Message);
        Assert.Contains(failure.Error, new[] { ErrorCode.EncryptionNotSupported, ErrorCode.EncryptionRequired });
        Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
        Assert.Equal(seed.EndPoint, failure.EndPoint);
        Assert.Empty(connected.Seen);
        Assert.Empty(await handle.GetPeersAsync());
        Assert.Equal(0, (await handle.GetStatusAsync()).TotalPayloadDownload);
        Assert.Equal(0, (await session.GetStatisticsAsync()).EncryptedConnections);

        // libtorrent's next stats line (once a second) still shows nothing sent and no peer seen.
        await seed.Process.WaitForLineAsync(l => l.Contains("\"event\": \"stats\"", StringComparison.Ordinal), Timeout);
        Assert.Equal(0, seed.Uploaded);
        Assert.Empty(seed.EncryptionSeen);
    }

    /// <summary>libtorrent without MSE dials our forced session: we refuse its plaintext handshake, every time.</summary>
    [Fact]
    public async Task Encryption_libtorrent_without_mse_dialling_our_forced_seed_is_refused()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        var session = await StartSessionAsync(LibtorrentEncryptionInteropTests.Forced);
        using var failures = new AlertWaiter<HandshakeFailedAlert>(session, a => a.Incoming);
        using var connected = new AlertWaiter<PeerConnectedAlert>(session);
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = SeedDir });
        await WaitAsync(session, handle, s => s.State == TorrentState.Seeding, Timeout, "seeding after the check");

        using var download = await LibtorrentPeer.StartDownloadAsync(path, OutDir, [new(IPAddress.Loopback, session.ListenPort)], encryption: LtEncryption.Disabled);

        // libtorrent redials every 2 s: two refusals show it is refused each time, not once.
        var seen = await failures.WaitAsync(2, Timeout);

        foreach (var failure in seen)
        {
            Output.WriteLine(failure.Message);
            Assert.Equal(ErrorCode.EncryptionRequired, failure.Error);
            Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
            Assert.Equal(IPAddress.Loopback, failure.EndPoint.Address);
        }

        Assert.Empty(connected.Seen);
        Assert.Equal(0, (await handle.GetStatusAsync()).TotalPayloadUpload);
        Assert.Equal(0, download.Downloaded);
        Assert.DoesNotContain("\"event\": \"complete\"", download.Process.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(download.EncryptionSeen);
    }
}
