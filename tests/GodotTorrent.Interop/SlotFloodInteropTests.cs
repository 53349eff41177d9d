using System.Globalization;
using System.Net;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Connection-slot exhaustion (issue 11, item 2) with real processes: our seed is flooded by
/// tools/silent_flood.py, 2,000 connections from 40 loopback addresses that send a valid handshake
/// and then nothing (reconnecting when closed). A real libtorrent downloader started during the
/// flood must reach at least half the speed it reached without the flood in the same run, and once
/// the flood stops reconnecting our seed closes every connection it still holds.
/// File descriptors: this machine's limit is 20,000 (soft and hard); the script raises its own soft
/// limit to what 2,000 sockets need and fails loudly when it cannot, and our process holds at most
/// the connection limit plus the pending handshakes.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class SlotFloodInteropTests(ITestOutputHelper output) : SwarmInteropTests(output)
{
    private const int FloodConnections = 2000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SlotFlood_a_libtorrent_download_keeps_at_least_half_its_speed_during_a_flood_of_silent_connections()
    {
        // 256 MiB, so the transfer after the first byte lasts long enough to measure: at 400 MB/s,
        // 128 MiB left a third of a second, where libtorrent's last checks and flush weighed as much as the flood.
        Data.CreateFolder("seed/big", 77, [new TestFile("a.bin", 192L << 20), new TestFile("b.bin", (64L << 20) + 4_321)]);
        var path = Data.PathOf("big.torrent");
        var torrent = await TorrentCreator.CreateFileAsync(Path.Combine(SeedDir, "big"), path, new TorrentCreatorOptions { Version = TorrentVersion.V1, PieceLength = PieceLength });
        var (session, handle) = await StartOurSeedAsync(torrent, Timeout);
        var seedEndPoint = new IPEndPoint(IPAddress.Loopback, session.ListenPort);

        // Best of several runs in each condition: other work on the two shared cores comes and goes,
        // and during the flood a third of the CPU can go to the flood script itself.
        var baseline = await BestOfAsync(3, "without the flood", path, torrent, seedEndPoint, session, handle);
        await WaitForNoPeersAsync(session, TimeSpan.FromSeconds(30));
        int socketsBefore = OpenSockets();

        var stopFile = Data.PathOf("stop-reconnecting");

        // Niced: on two shared cores the script's own reconnect loop would otherwise take the CPU
        // that the seed and the downloader need, and measure Python rather than our seed.
        using var flood = ToolProcess.Start("nice",
        [
            "-n", "10", Libtorrent.Python,
            Path.Combine(AppContext.BaseDirectory, "tools", "silent_flood.py"),
            "--port", session.ListenPort.ToString(CultureInfo.InvariantCulture),
            "--info-hash", torrent.InfoHashes.V1!.ToHex(),
            "--count", FloodConnections.ToString(CultureInfo.InvariantCulture),
            "--sources", "40",
            "--stop-file", stopFile,
            "--lifetime", "240",
        ]);
        var flooding = await flood.WaitForLineAsync(l => l.Contains("\"flooding\"", StringComparison.Ordinal) || l.Contains("\"error\"", StringComparison.Ordinal), Timeout);
        Output.WriteLine("flood: " + flooding);
        Assert.Contains("\"flooding\"", flooding, StringComparison.Ordinal);

        var during = await BestOfAsync(3, "during the flood", path, torrent, seedEndPoint, session, handle);

        // The flood stops reconnecting but holds every connection still open: our side must close them.
        await File.WriteAllTextAsync(stopFile, "stop");
        await flood.WaitForLineAsync(l => l.Contains("\"holding\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var cleanupBound = new SessionSettings().PeerSilenceTimeout + TimeSpan.FromSeconds(15);
        var stats = await WaitForNoPeersAsync(session, cleanupBound);
        int socketsAfter = OpenSockets();
        var floodStats = flood.StandardOutput.Split('\n').LastOrDefault(l => l.Contains("\"stats\"", StringComparison.Ordinal));

        double ratio = during.MegabytesPerSecond / baseline.MegabytesPerSecond;
        double overallRatio = baseline.Elapsed.TotalSeconds / during.Elapsed.TotalSeconds;
        Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"speed during/without the flood: {ratio:0.00} after the first byte, {overallRatio:0.00} overall; seed evicted {stats.PeersEvicted}, {stats.PeersConnected} peers left; our sockets {socketsBefore} before, {socketsAfter} after; flood {floodStats}"));

        Assert.Equal(0, stats.PeersConnected);
        Assert.True(socketsAfter <= socketsBefore + 2, $"{socketsAfter} sockets open after the flood, {socketsBefore} before");
        Assert.True(stats.PeersEvicted > 0);
        Assert.True(ratio >= 0.5, $"during the flood {during.MegabytesPerSecond:0.0} MB/s, without {baseline.MegabytesPerSecond:0.0} MB/s");
    }

    // Libtorrent downloads from our seed, one after the other, each into a fresh folder; the fastest one.
    private async Task<PeerTransferResult> BestOfAsync(int runs, string what, string torrentPath, TorrentInfo torrent, IPEndPoint seed, TorrentSession session, TorrentHandle handle)
    {
        PeerTransferResult? best = null;
        for (int run = 0; run < runs; run++)
        {
            var folder = Data.PathOf($"{what.Replace(' ', '-')}-{run}");
            Directory.CreateDirectory(folder);
            using (var download = await LibtorrentPeer.StartDownloadAsync(torrentPath, folder, [seed]))
            {
                var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);
                Assert.InRange(result.Bytes, torrent.TotalSize, torrent.TotalSize + (torrent.TotalSize / 10));
                Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{what}, run {run + 1}: {torrent.TotalSize / 1048576.0:0.0} MiB in {result.Elapsed.TotalSeconds:0.00} s, first byte {result.FirstByte?.TotalSeconds:0.00} s, {result.MegabytesPerSecond:0.0} MB/s after it"));
                if (best is null || result.MegabytesPerSecond > best.MegabytesPerSecond)
                {
                    best = result;
                }
            }

            Directory.Delete(folder, recursive: true);
        }

        return best!;
    }

    private static async Task<SessionStatistics> WaitForNoPeersAsync(TorrentSession session, TimeSpan bound)
    {
        using var stop = new CancellationTokenSource(bound);
        var stats = await session.GetStatisticsAsync(stop.Token);
        while (stats.PeersConnected > 0 && !stop.IsCancellationRequested)
        {
            await Task.Delay(200, CancellationToken.None);
            stats = await session.GetStatisticsAsync(CancellationToken.None);
        }

        return stats;
    }

    // Sockets this process holds (our seed runs in it), from /proc.
    private static int OpenSockets() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Count(f => f.LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);
}
