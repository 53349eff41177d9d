using System.Diagnostics;
using System.Globalization;
using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Smart ban against real processes: a libtorrent seed and a scripted liar (tools/liar_peer.py:
/// claims every piece, answers every request with random bytes) next to our downloader, which
/// dials both. The download completes from libtorrent, the liar's address is banned, the seed is not.
/// </summary>
public sealed class SmartBanInteropTests(ITestOutputHelper output) : SwarmInteropTests(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// <paramref name="burst"/> 0: the liar answers everything (whole pieces from it fail: strikes).
    /// 2: it answers two requests, then chokes and unchokes, so its bad blocks land in pieces
    /// libtorrent sent the rest of: the seed shares every failed piece and must keep its standing.
    /// </summary>
    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(0, 3)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    public async Task SmartBanInterop_a_liar_next_to_a_libtorrent_seed_is_banned_and_the_download_completes(int burst, int run)
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await LibtorrentPeer.StartSeedAsync(path, SeedDir);
        using var liar = await LiarPeer.StartAsync(torrent.InfoHashes.V1!.ToHex(), torrent.PieceCount, burst);
        var liarEndPoint = new IPEndPoint(IPAddress.Loopback, liar.Port);
        await using var ours = new OurSessions();
        var session = await ours.StartAsync();

        var clock = Stopwatch.StartNew();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = OutDir, Peers = [liarEndPoint, seed.EndPoint] });
        var status = await ours.WaitAsync(session, handle, s => s.State == TorrentState.Seeding, Timeout, "seeding after the download");
        var elapsed = clock.Elapsed;

        AssertSameFiles();
        var alerts = ours.Alerts(session);
        var bans = alerts.OfType<PeerBanAlert>().ToList();
        var liarBan = Assert.Single(bans, b => b.EndPoint.Equals(liarEndPoint));
        Assert.DoesNotContain(bans, b => b.EndPoint.Equals(seed.EndPoint));
        if (burst > 0)
        {
            // The ban must come from evidence, not from strikes: the data that passed later (smart ban) or,
            // now and then, a piece the liar happened to send all of (1 run in 14 after step 16's changes).
            Assert.True(
                liarBan.Reason.StartsWith("smart ban", StringComparison.Ordinal) || liarBan.Reason.Contains("all of it from this peer", StringComparison.Ordinal),
                liarBan.Reason);
        }

        int failed = alerts.OfType<HashFailedAlert>().Count();
        Assert.True(failed > 0, "no piece failed: the liar was never asked for data");
        Assert.True(liar.Blocks > 0);

        // Named again by the application, the banned liar is not dialled.
        int connections = liar.Connections;
        await handle.ConnectPeerAsync(liarEndPoint);
        await Task.Delay(1500);
        Assert.Equal(connections, liar.Connections);
        Assert.DoesNotContain(await handle.GetPeersAsync(), p => p.EndPoint.Equals(liarEndPoint));

        Output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"burst {burst}, run {run}: {TotalSize / 1048576.0:0.0} MiB in {elapsed.TotalSeconds:0.00} s, {failed} pieces failed ({status.TotalFailedBytes} bytes), liar served {liar.Blocks} blocks over {connections} connection(s); ban: {liarBan.Reason}"));
    }
}
