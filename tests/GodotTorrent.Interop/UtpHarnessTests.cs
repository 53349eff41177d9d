using System.Globalization;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// The transport options of the harness peers, proven between real clients only (no Godot-Torrent
/// engine): a uTP-only libtorrent serves a uTP-only libtorrent and both report only uTP; at
/// their defaults two libtorrents pick uTP too (it dials uTP first), while the harness's TCP-only
/// default reports only TCP; Transmission with <c>"utp-enabled": true</c> talks uTP with a uTP-only
/// libtorrent both ways (libtorrent dials). So a test of our engine against them knows the real
/// side is set as it says.
/// </summary>
public sealed class UtpHarnessTests : IDisposable
{
    private const int Seed = 2929;
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

    private readonly TestData _data = TestData.Create();
    private readonly ITestOutputHelper _output;
    private readonly string _seedDir;
    private readonly string _outDir;

    public UtpHarnessTests(ITestOutputHelper output)
    {
        _output = output;
        _seedDir = _data.PathOf("seed");
        _outDir = _data.PathOf("out");
        Directory.CreateDirectory(_outDir);
        _data.CreateFolder("seed/" + Name, Seed, Layout);
    }

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData(LtTransport.UtpOnly, "utp")]
    [InlineData(LtTransport.Both, "utp")]
    [InlineData(LtTransport.TcpOnly, "tcp")]
    public async Task UtpHarness_libtorrent_to_libtorrent_uses_the_transport_it_is_given(LtTransport transport, string expected)
    {
        var torrent = await TorrentAsync();
        using var seed = await LibtorrentPeer.StartSeedAsync(torrent, _seedDir, transport: transport);
        using var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint], transport: transport);

        var result = await download.WaitForCompletionAsync(TransferTimeout);

        Report($"libtorrent {transport} -> libtorrent {transport}", result, download.TransportsSeen);
        Assert.Equal([expected], download.TransportsSeen);
        Assert.Equal([expected], await seed.WaitForTransportsSeenAsync(TransferTimeout));
        OurSessions.AssertSameFiles(_seedDir, _outDir, Name, Layout);
    }

    [Fact]
    public async Task UtpHarness_transmission_utp_and_libtorrent_utp_only_both_directions()
    {
        var torrent = await TorrentAsync();

        using (var seed = await TransmissionPeer.StartSeedAsync(torrent, _seedDir, _data.PathOf("transmission-seed"), utp: true))
        using (var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint], transport: LtTransport.UtpOnly))
        {
            var result = await download.WaitForCompletionAsync(TransferTimeout);
            Report("Transmission uTP -> libtorrent uTP only", result, download.TransportsSeen);
            Assert.Equal(["utp"], download.TransportsSeen);
            OurSessions.AssertSameFiles(_seedDir, _outDir, Name, Layout);
        }

        var outDir = _data.PathOf("out-transmission");
        using var transmission = await TransmissionPeer.StartDownloadAsync(torrent, outDir, _data.PathOf("transmission-download"), utp: true);
        using var ltSeed = await LibtorrentPeer.StartSeedAsync(torrent, _seedDir, [transmission.EndPoint], transport: LtTransport.UtpOnly);
        var back = await transmission.WaitForCompletionAsync(TransferTimeout);
        var seen = await ltSeed.WaitForTransportsSeenAsync(TransferTimeout);
        Report("libtorrent uTP only -> Transmission uTP", back, seen);
        Assert.Equal(["utp"], seen);
        OurSessions.AssertSameFiles(_seedDir, outDir, Name, Layout);
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
