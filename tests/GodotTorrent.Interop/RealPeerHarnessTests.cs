using System.Globalization;
using System.Security.Cryptography;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// The real-client peers of the harness, proven with transfers between real clients on
/// 127.0.0.1 (no Godot-Torrent engine involved): every file's SHA-256 must match at the end.
/// </summary>
public sealed class RealPeerHarnessTests : IDisposable
{
    private const int Seed = 777;
    private const int PieceLength = 256 * 1024;
    private const string Name = "content";

    /// <summary>About 23 MiB in several files, sizes off piece boundaries, nested folders.</summary>
    private static readonly IReadOnlyList<TestFile> Layout =
    [
        new("a.bin", (8L << 20) + 123),
        new("b/c.bin", 6L << 20),
        new("d.bin", (5L << 20) + 777),
        new("e/f/g.bin", (4L << 20) + 1),
        new("small.txt", 1_000),
    ];

    private static readonly long TotalSize = Layout.Sum(f => f.Size);
    private static readonly TimeSpan TransferTimeout = TimeSpan.FromSeconds(45);

    private readonly TestData _data = TestData.Create();
    private readonly ITestOutputHelper _output;
    private readonly string _seedDir;
    private readonly string _outDir;

    public RealPeerHarnessTests(ITestOutputHelper output)
    {
        _output = output;
        _seedDir = _data.PathOf("seed");
        _outDir = _data.PathOf("out");
        Directory.CreateDirectory(_outDir);
        _data.CreateFolder("seed/" + Name, Seed, Layout);
    }

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task RealPeer_libtorrent_seeds_libtorrent_downloads()
    {
        // Hybrid (v1 + v2) from our own creator: libtorrent 2.0 speaks both.
        var torrent = await OurTorrentAsync(TorrentVersion.Hybrid);
        using var seed = await LibtorrentPeer.StartSeedAsync(torrent, _seedDir);
        using var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint]);

        var result = await download.WaitForCompletionAsync(TransferTimeout);

        Report("libtorrent -> libtorrent", result);
        AssertPayload(result.Bytes);
        AssertSameFiles();
    }

    [Fact]
    public async Task RealPeer_libtorrent_magnet_download_from_libtorrent_seed()
    {
        var torrent = await LtTorrentAsync();
        var magnet = await Libtorrent.MagnetAsync(torrent);
        Assert.DoesNotContain("&tr=", magnet, StringComparison.Ordinal);
        using var seed = await LibtorrentPeer.StartSeedAsync(torrent, _seedDir);
        using var download = await LibtorrentPeer.StartDownloadAsync(magnet, _outDir, [seed.EndPoint]);

        var result = await download.WaitForCompletionAsync(TransferTimeout);

        Report("libtorrent -> libtorrent (magnet)", result);
        Assert.Contains(download.Process.StandardOutput.Split('\n'), l => l.Contains("\"event\": \"metadata\"", StringComparison.Ordinal));
        AssertSameFiles();
    }

    [Fact]
    public async Task RealPeer_libtorrent_seeds_aria2_downloads()
    {
        var torrent = await OurTorrentAsync(TorrentVersion.V1);
        using var download = await Aria2Peer.StartDownloadAsync(torrent, _outDir);
        // aria2 dials nobody without a tracker: the seed dials it.
        using var seed = await LibtorrentPeer.StartSeedAsync(torrent, _seedDir, [download.EndPoint]);

        var result = await download.WaitForCompletionAsync(TransferTimeout);

        Report("libtorrent -> aria2", result with { Bytes = TotalSize });
        AssertSameFiles();
    }

    [Fact]
    public async Task RealPeer_libtorrent_seeds_transmission_downloads()
    {
        var torrent = await LtTorrentAsync();
        using var download = await TransmissionPeer.StartDownloadAsync(torrent, _outDir, _data.PathOf("transmission"));
        // Transmission cannot be told to dial anyone: the seed dials its peer port.
        using var seed = await LibtorrentPeer.StartSeedAsync(torrent, _seedDir, [download.EndPoint]);

        var result = await download.WaitForCompletionAsync(TransferTimeout);

        Report("libtorrent -> Transmission", result);
        AssertPayload(result.Bytes);
        AssertSameFiles();
    }

    [Fact]
    public async Task RealPeer_transmission_seeds_libtorrent_downloads()
    {
        var torrent = await OurTorrentAsync(TorrentVersion.V1);
        using var seed = await TransmissionPeer.StartSeedAsync(torrent, _seedDir, _data.PathOf("transmission"));
        using var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint]);

        var result = await download.WaitForCompletionAsync(TransferTimeout);

        Report("Transmission -> libtorrent", result);
        AssertPayload(result.Bytes);
        AssertPayload((await seed.GetStatusAsync()).UploadedEver);
        AssertSameFiles();
    }

    [Fact]
    public async Task RealPeer_aria2_seeds_libtorrent_downloads()
    {
        var torrent = await LtTorrentAsync();
        using var seed = await Aria2Peer.StartSeedAsync(torrent, _seedDir);
        using var download = await LibtorrentPeer.StartDownloadAsync(torrent, _outDir, [seed.EndPoint]);

        var result = await download.WaitForCompletionAsync(TransferTimeout);

        Report("aria2 -> libtorrent", result);
        AssertPayload(result.Bytes);
        AssertSameFiles();
    }

    private async Task<string> LtTorrentAsync()
    {
        var path = _data.PathOf("lt.torrent");
        await Libtorrent.CreateAsync(new LtCreateOptions(Path.Combine(_seedDir, Name), path) { PieceSize = PieceLength, Version = LtVersion.V1 });
        return path;
    }

    private async Task<string> OurTorrentAsync(TorrentVersion version)
    {
        var path = _data.PathOf("ours.torrent");
        await TorrentCreator.CreateFileAsync(Path.Combine(_seedDir, Name), path, new TorrentCreatorOptions { Version = version, PieceLength = PieceLength });
        return path;
    }

    private void Report(string direction, PeerTransferResult result)
    {
        var firstByte = result.FirstByte is { } f ? f.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "n/a";
        _output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{direction}: {TotalSize / 1048576.0:0.0} MiB in {result.Elapsed.TotalSeconds:0.00} s, first byte {firstByte}, {result.MegabytesPerSecond:0.0} MB/s after it"));
    }

    /// <summary>Payload counters include pad files (hybrid torrents) and blocks received twice (end game).</summary>
    private static void AssertPayload(long bytes) => Assert.InRange(bytes, TotalSize, TotalSize + (TotalSize / 10));

    private void AssertSameFiles()
    {
        foreach (var file in Layout)
        {
            var relative = Name + "/" + file.Path;
            var expected = Sha256(Path.Combine(_seedDir, relative));
            var actual = Path.Combine(_outDir, relative);
            Assert.True(File.Exists(actual), "missing " + actual);
            Assert.Equal(file.Size, new FileInfo(actual).Length);
            Assert.Equal(expected, Sha256(actual));
        }
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
