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
/// BEP 52 block hashes against libtorrent 2.0.8 with a scripted liar (tools/liar_peer.py: claims
/// every piece, answers every request with random bytes, speaks no v2). libtorrent asks for the
/// block hashes of a failed piece of a v2-only torrent (base layer 0, one piece's blocks) and, once
/// it has checked a seed's data, answers such requests from its block layer. Both directions: we
/// download from a libtorrent seed and the liar, and pin the bad blocks on the liar by libtorrent's
/// block hashes; libtorrent downloads from us and the liar, asking us for block hashes.
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
        using var liar = await StartLiarAsync(torrent, burst: 0);
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
        var (torrentPath, torrent) = await CreateAsync();
        await using var sessions = new OurSessions();
        var session = await sessions.StartAsync();
        // Slowed down so libtorrent takes blocks from both of us; the liar answers two requests at a
        // time, so its bad blocks land in pieces we sent the rest of: libtorrent cannot tell which
        // block is bad without block hashes (with whole pieces from the liar it bans it at once).
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = _data.PathOf("seed"), UploadRateLimit = 1 << 20 });
        await sessions.WaitAsync(session, handle, s => s.State == TorrentState.Seeding, Deadline, "seeding");
        using var liar = await StartLiarAsync(torrent, burst: 2);

        string outDir = _data.PathOf("lt-out");
        Directory.CreateDirectory(outDir);
        using var lt = await LibtorrentPeer.StartDownloadAsync(
            torrentPath, outDir, [liar.EndPoint, new IPEndPoint(IPAddress.Loopback, session.ListenPort)], lifetime: TimeSpan.FromSeconds(120));
        try
        {
            await lt.WaitForCompletionAsync(Deadline);
        }
        catch (ToolFailedException e)
        {
            throw new ToolFailedException(e.Message + "\nour side: " + await sessions.DescribeAsync(session, handle));
        }

        OurSessions.AssertSameFiles(_data.PathOf("seed"), outDir, Name, Layout);
        var complete = lt.Process.StandardOutput.Split('\n').Single(l => l.Contains("\"event\": \"complete\"", StringComparison.Ordinal));
        long failedBytes = JsonDocument.Parse(complete).RootElement.GetProperty("failed_bytes").GetInt64();
        // Only the liar sends bad bytes: a failed piece means libtorrent took data from it.
        Assert.True(failedBytes > 0, "no piece failed at libtorrent: it never took the liar's data");
        var server = handle.Runtime.Hashes.Server;
        Assert.True(server.ServedBlockLayers > 0, $"libtorrent asked no block hashes of us ({server.Served} served, {server.Rejected} rejected)");
        output.WriteLine($"us + liar -> libtorrent: libtorrent failed {failedBytes} bytes, we served {server.ServedBlockLayers} block-layer requests ({server.Rejected} rejected)");
    }

    private async Task<(string Path, TorrentInfo Torrent)> CreateAsync()
    {
        var folder = _data.CreateFolder("seed/" + Name, 17, Layout);
        var path = _data.PathOf("v2.torrent");
        var torrent = await TorrentCreator.CreateFileAsync(folder, path, new TorrentCreatorOptions { Version = TorrentVersion.V2, PieceLength = PieceLength });
        return (path, torrent);
    }

    // The liar answers the v2-only torrent's handshake hash: the v2 info-hash cut to 20 bytes.
    private static async Task<LiarPeer> StartLiarAsync(TorrentInfo torrent, int burst)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "tools", "liar_peer.py");
        string hash = Convert.ToHexString(torrent.InfoHashes.V2!.Truncated.ToArray()).ToLowerInvariant();
        var process = ToolProcess.Start(Libtorrent.Python, [script, "--info-hash", hash, "--pieces", torrent.PieceCount.ToString(CultureInfo.InvariantCulture), "--burst", burst.ToString(CultureInfo.InvariantCulture), "--timeout", "150"]);
        try
        {
            var line = await process.WaitForLineAsync(l => l.Contains("\"listening\"", StringComparison.Ordinal), LibtorrentPeer.StartTimeout);
            using var doc = JsonDocument.Parse(line);
            return new LiarPeer(process, doc.RootElement.GetProperty("port").GetInt32());
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>The liar's process (killed by PID on dispose) and what it printed.</summary>
    private sealed class LiarPeer(ToolProcess process, int port) : IDisposable
    {
        public IPEndPoint EndPoint { get; } = new(IPAddress.Loopback, port);

        public long Blocks => process.StandardOutput.Split('\n')
            .Where(l => l.Contains("\"blocks\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("blocks").GetInt64())
            .DefaultIfEmpty(0)
            .Max();

        public void Dispose() => process.Dispose();
    }
}
