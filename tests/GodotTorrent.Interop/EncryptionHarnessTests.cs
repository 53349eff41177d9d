using System.Globalization;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// The encryption options of the harness peers, proven between real clients only (no
/// Godot-Torrent engine): libtorrent forced to RC4 or to plaintext after MSE, Transmission with
/// encryption required and aria2 requiring RC4 connect with a libtorrent that allows what they
/// ask, libtorrent reports the level it ended at, and each of them refuses a libtorrent with MSE
/// disabled. So a test of our engine against them knows the real side is set as it says.
/// </summary>
public sealed class EncryptionHarnessTests : IDisposable
{
    private const int Seed = 909;
    private const int PieceLength = 256 * 1024;
    private const string Name = "content";

    /// <summary>About 8 MiB in three files.</summary>
    private static readonly IReadOnlyList<TestFile> Layout =
    [
        new("a.bin", (5L << 20) + 321),
        new("b/c.bin", (3L << 20) - 7),
        new("small.txt", 999),
    ];

    private static readonly TimeSpan TransferTimeout = TimeSpan.FromSeconds(45);

    /// <summary>A refused peer is redialled every 2 s: two refusals take about 2-3 s.</summary>
    private static readonly TimeSpan RefusalTimeout = TimeSpan.FromSeconds(20);

    private readonly TestData _data = TestData.Create();
    private readonly ITestOutputHelper _output;
    private readonly string _seedDir;
    private readonly string _outDir;

    public EncryptionHarnessTests(ITestOutputHelper output)
    {
        _output = output;
        _seedDir = _data.PathOf("seed");
        _outDir = _data.PathOf("out");
        Directory.CreateDirectory(_outDir);
        _data.CreateFolder("seed/" + Name, Seed, Layout);
    }

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task EncryptionHarness_libtorrent_forced_rc4_seed_serves_a_default_libtorrent_over_rc4()
    {
        var torrent = await TorrentAsync();
        using var seed = await LibtorrentPeer.StartSeedAsync(torrent, _seedDir, encryption: LtEncryption.ForcedRc4);
        using var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint]);

        var result = await download.WaitForCompletionAsync(TransferTimeout);

        Report("libtorrent forced RC4 -> libtorrent default", result, download.EncryptionSeen);
        Assert.Equal(["rc4"], download.EncryptionSeen);
        OurSessions.AssertSameFiles(_seedDir, _outDir, Name, Layout);
    }

    [Fact]
    public async Task EncryptionHarness_libtorrent_forced_plaintext_level_ends_in_plaintext_after_mse()
    {
        var torrent = await TorrentAsync();
        using var seed = await LibtorrentPeer.StartSeedAsync(torrent, _seedDir, encryption: LtEncryption.ForcedPlaintext);
        using var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint], encryption: LtEncryption.ForcedPlaintext);

        var result = await download.WaitForCompletionAsync(TransferTimeout);

        Report("libtorrent forced plaintext -> libtorrent forced plaintext", result, download.EncryptionSeen);
        Assert.Equal(["plaintext"], download.EncryptionSeen);
        OurSessions.AssertSameFiles(_seedDir, _outDir, Name, Layout);
    }

    [Fact]
    public async Task EncryptionHarness_libtorrent_forced_rc4_seed_refuses_libtorrent_without_mse()
    {
        var torrent = await TorrentAsync();
        using var seed = await LibtorrentPeer.StartSeedAsync(torrent, _seedDir, encryption: LtEncryption.ForcedRc4);
        using var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint], encryption: LtEncryption.Disabled);

        await AssertRefusedTwiceAsync(download);
    }

    [Fact]
    public async Task EncryptionHarness_transmission_required_and_libtorrent_both_directions()
    {
        var torrent = await TorrentAsync();

        // libtorrent at its defaults would pick plaintext after MSE; Transmission "required" allows only RC4.
        using (var seed = await TransmissionPeer.StartSeedAsync(torrent, _seedDir, _data.PathOf("transmission-seed"), encryption: 2))
        using (var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint]))
        {
            var result = await download.WaitForCompletionAsync(TransferTimeout);
            Report("Transmission required -> libtorrent default", result, download.EncryptionSeen);
            Assert.Equal(["rc4"], download.EncryptionSeen);
            OurSessions.AssertSameFiles(_seedDir, _outDir, Name, Layout);
        }

        var outDir = _data.PathOf("out-transmission");
        using var transmission = await TransmissionPeer.StartDownloadAsync(torrent, outDir, _data.PathOf("transmission-download"), encryption: 2);
        using var ltSeed = await LibtorrentPeer.StartSeedAsync(torrent, _seedDir, [transmission.EndPoint]);
        var back = await transmission.WaitForCompletionAsync(TransferTimeout);
        var seen = await ltSeed.WaitForEncryptionSeenAsync(TransferTimeout);
        Report("libtorrent default -> Transmission required", back, seen);
        Assert.Equal(["rc4"], seen);
        OurSessions.AssertSameFiles(_seedDir, outDir, Name, Layout);
    }

    [Fact]
    public async Task EncryptionHarness_transmission_required_refuses_libtorrent_without_mse()
    {
        var torrent = await TorrentAsync();
        using var seed = await TransmissionPeer.StartSeedAsync(torrent, _seedDir, _data.PathOf("transmission"), encryption: 2);
        using var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint], encryption: LtEncryption.Disabled);

        await AssertRefusedTwiceAsync(download);
        Assert.Equal(0, (await seed.GetStatusAsync()).UploadedEver);
    }

    [Fact]
    public async Task EncryptionHarness_aria2_requiring_rc4_and_libtorrent_both_directions()
    {
        var torrent = await TorrentAsync();

        // libtorrent at its defaults would pick plaintext after MSE; aria2 allows only RC4.
        using (var seed = await Aria2Peer.StartSeedAsync(torrent, _seedDir, requireRc4: true))
        using (var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint]))
        {
            var result = await download.WaitForCompletionAsync(TransferTimeout);
            Report("aria2 require RC4 -> libtorrent default", result, download.EncryptionSeen);
            Assert.Equal(["rc4"], download.EncryptionSeen);
            OurSessions.AssertSameFiles(_seedDir, _outDir, Name, Layout);
        }

        var outDir = _data.PathOf("out-aria2");
        using var aria2 = await Aria2Peer.StartDownloadAsync(torrent, outDir, requireRc4: true);
        using var ltSeed = await LibtorrentPeer.StartSeedAsync(torrent, _seedDir, [aria2.EndPoint]);
        var back = await aria2.WaitForCompletionAsync(TransferTimeout);
        var seen = await ltSeed.WaitForEncryptionSeenAsync(TransferTimeout);
        Report("libtorrent default -> aria2 require RC4", back, seen);
        Assert.Equal(["rc4"], seen);
        OurSessions.AssertSameFiles(_seedDir, outDir, Name, Layout);
    }

    [Fact]
    public async Task EncryptionHarness_aria2_requiring_rc4_refuses_libtorrent_without_mse()
    {
        var torrent = await TorrentAsync();
        using var seed = await Aria2Peer.StartSeedAsync(torrent, _seedDir, requireRc4: true);
        using var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint], encryption: LtEncryption.Disabled);

        await AssertRefusedTwiceAsync(download);
    }

    /// <summary>
    /// The downloader's dial is closed before any data, twice (it redials every 2 s): a waited-for
    /// event, not a sleep. It never completes and has downloaded nothing.
    /// </summary>
    private async Task AssertRefusedTwiceAsync(LibtorrentPeer download)
    {
        var refusals = 0;
        await download.Process.WaitForLineAsync(
            l => l.Contains("\"event\": \"peer\"", StringComparison.Ordinal)
                && (l.Contains("peer_disconnected", StringComparison.Ordinal) || l.Contains("peer_error", StringComparison.Ordinal))
                && ++refusals >= 2,
            RefusalTimeout);
        var output = download.Process.StandardOutput;
        _output.WriteLine(string.Join('\n', output.Split('\n').Where(l => l.Contains("\"peer\"", StringComparison.Ordinal))));
        Assert.DoesNotContain("\"event\": \"complete\"", output, StringComparison.Ordinal);
        Assert.Equal(0, download.Downloaded);
        Assert.DoesNotContain("rc4", download.EncryptionSeen);
        Assert.DoesNotContain(Directory.EnumerateFiles(_outDir, "*", SearchOption.AllDirectories), f => new FileInfo(f).Length > 0);
    }

    private async Task<string> TorrentAsync()
    {
        var path = _data.PathOf("ours.torrent");
        await TorrentCreator.CreateFileAsync(Path.Combine(_seedDir, Name), path, new TorrentCreatorOptions { Version = TorrentVersion.V1, PieceLength = PieceLength });
        return path;
    }

    private void Report(string direction, PeerTransferResult result, IReadOnlyList<string> libtorrentSaw) =>
        _output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{direction}: {result.Elapsed.TotalSeconds:0.00} s, first byte {result.FirstByte?.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"}; libtorrent saw [{string.Join(", ", libtorrentSaw)}]"));
}
