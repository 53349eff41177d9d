using System.Globalization;
using System.Net;
using System.Text.Json;
using GodotTorrent.Alerts;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// BEP 52 block hashes against libtorrent 2.0.8. libtorrent asks for the block hashes of a failed
/// piece of a v2-only torrent (base layer 0, one piece's blocks, proof up to the piece layer and as
/// many layers again) and, once it has checked a seed's data, answers such requests from its block
/// layer. Both directions: we download from a libtorrent seed and a scripted liar
/// (tools/liar_peer.py: claims every piece, answers every request with random bytes) and pin the
/// bad blocks on the liar by libtorrent's block hashes; libtorrent downloads from two of our
/// sessions, one of them lying, and asks us for block hashes.
/// </summary>
public sealed class V2BlockHashInteropTests(ITestOutputHelper output) : IDisposable
{
    private const string Name = "content";
    private const int PieceLength = 64 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static readonly IReadOnlyList<TestFile> Layout =
    [
        new("big.bin", (3L << 20) + 12_345),
        new("small.bin", 40_000),
    ];

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task We_download_from_a_libtorrent_seed_and_a_liar_and_ban_the_liar_by_libtorrents_block_hashes()
    {
        var (torrentPath, torrent) = await CreateAsync();
        using var seed = await LibtorrentPeer.StartSeedAsync(torrentPath, _data.PathOf("seed"), lifetime: TimeSpan.FromSeconds(150));
        using var liar = await LiarPeer.StartAsync(Convert.ToHexString(torrent.InfoHashes.V2!.Truncated), torrent.PieceCount, burst: 0); // v2-only: the handshake carries the v2 hash cut to 20 bytes
        await using var sessions = new OurSessions();
        var session = await sessions.StartAsync();
        string outDir = _data.PathOf("out");
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = outDir, Peers = [liar.EndPoint, seed.EndPoint] });
        try
        {
            await sessions.WaitAsync(session, handle, s => s.State == TorrentState.Seeding, Deadline, "complete");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nlibtorrent: " + seed.Process.StandardError, e);
        }

        OurSessions.AssertSameFiles(_data.PathOf("seed"), outDir, Name, Layout);
        var alerts = sessions.Alerts(session);
        int failed = alerts.OfType<HashFailedAlert>().Count();
        Assert.True(failed > 0, "no piece failed: the liar was never asked for data");
        var bans = alerts.OfType<PeerBanAlert>().ToList();
        var ban = Assert.Single(bans);
        Assert.Equal(liar.EndPoint, ban.EndPoint);
        Assert.Contains("BEP 52 block hashes", ban.Reason, StringComparison.Ordinal);
        int resolved = handle.Runtime.Hashes.Blocks.Resolved;
        Assert.True(resolved > 0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"libtorrent seed + liar -> us: {failed} piece(s) failed, {resolved} checked by libtorrent's block hashes; ban: {ban.Reason}"));
    }

    [Fact]
    public async Task Libtorrent_downloads_from_us_and_a_liar_and_asks_us_for_block_hashes()
    {
        // Pieces of 32 blocks: our seeds send runs of at most 16, so only block hashes read a whole piece (LyingStorageFactory).
        var (torrentPath, torrent) = await CreateAsync(512 * 1024);
        await using var sessions = new OurSessions();

        // Two of our sessions seed: one honest (slowed down, so libtorrent takes blocks from both),
        // one whose first block reads (LyingStorageFactory.MaxLies, few enough that libtorrent never
        // bans the honest one for pieces both sent) come back altered, in big.bin only. Both speak v2,
        // and whole-piece reads (block hashes) stay true, so whichever libtorrent asks for a failed
        // piece's block hashes answers them: libtorrent 2.0.8 asks one peer once and never again,
        // so a liar that ignored the request (the scripted one) would stall the piece for good.
        var honest = await sessions.StartAsync();
        var honestHandle = await honest.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("seed"), UploadRateLimit = 1 << 20 });
        var lying = await sessions.StartAsync(options: new TorrentSessionOptions { StorageFactory = new LyingStorageFactory() });
        var lyingHandle = await lying.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("seed") });
        await sessions.WaitAsync(honest, honestHandle, s => s.State == TorrentState.Seeding, Deadline, "seeding");
        await sessions.WaitAsync(lying, lyingHandle, s => s.State == TorrentState.Seeding, Deadline, "seeding");

        string outDir = _data.PathOf("lt-out");
        Directory.CreateDirectory(outDir);
        using var lt = await LibtorrentPeer.StartDownloadAsync(
            torrentPath, outDir, [new IPEndPoint(IPAddress.Loopback, lying.ListenPort), new IPEndPoint(IPAddress.Loopback, honest.ListenPort)], lifetime: TimeSpan.FromSeconds(120));
        try
        {
            await lt.WaitForCompletionAsync(Deadline);
        }
        catch (ToolFailedException e)
        {
            throw new ToolFailedException(e.Message + "\nhonest: " + await sessions.DescribeAsync(honest, honestHandle) + "\nliar: " + await sessions.DescribeAsync(lying, lyingHandle));
        }

        OurSessions.AssertSameFiles(_data.PathOf("seed"), outDir, Name, Layout);
        var complete = lt.Process.StandardOutput.Split('\n').Single(l => l.Contains("\"event\": \"complete\"", StringComparison.Ordinal));
        long failedBytes = JsonDocument.Parse(complete).RootElement.GetProperty("failed_bytes").GetInt64();
        Assert.True(failedBytes > 0, $"no piece failed at libtorrent: it never took the liar's blocks\nlibtorrent: {complete}");
        var servers = new[] { honestHandle.Runtime.Hashes.Server, lyingHandle.Runtime.Hashes.Server };
        long served = servers.Sum(s => s.ServedBlockLayers);
        Assert.True(served > 0, $"libtorrent asked no block hashes of us ({servers.Sum(s => s.Served)} served, {servers.Sum(s => s.Rejected)} rejected)");
        Assert.Equal(0, servers.Sum(s => s.Rejected));
        string honestPeer = $"[ {new IPEndPoint(IPAddress.Loopback, honest.ListenPort)} ";
        Assert.DoesNotContain(lt.Process.StandardOutput.Split('\n'), l => l.Contains("\"peer_ban\"", StringComparison.Ordinal) && l.Contains(honestPeer, StringComparison.Ordinal));
        output.WriteLine($"us + liar -> libtorrent: libtorrent failed {failedBytes} bytes; we served {served} block-layer requests (honest {servers[0].ServedBlockLayers}, liar {servers[1].ServedBlockLayers})");
    }

    private async Task<(string Path, TorrentInfo Torrent)> CreateAsync(int pieceLength = PieceLength)
    {
        var folder = _data.CreateFolder("seed/" + Name, 17, Layout);
        var path = _data.PathOf("v2.torrent");
        var torrent = await TorrentCreator.CreateFileAsync(folder, path, new TorrentCreatorOptions { Version = TorrentVersion.V2, PieceLength = pieceLength });
        return (path, torrent);
    }
}
