using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// BEP 52 block hashes in a swarm on virtual time: a liar among honest seeds of a v2 torrent sends
/// one bad block in each piece it serves that block of. The failed piece's block hashes, served by
/// an honest seed from the piece on its disk, prove which block is bad: its sender is banned at
/// once, nobody else is, and only that block is fetched again.
/// </summary>
public sealed class SimulatedV2BlockHashTests
{
    private const int Block = 16 * 1024;
    private const int PieceLength = 128 * 1024;
    private const int BadBlock = 2;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_liars_bad_block_is_found_by_block_hashes_it_is_banned_and_only_that_block_is_fetched_again(int seed)
    {
        var content = await SimContent.CreateAsync("pack", [("big.bin", 3_000_000), ("one.bin", 100_000)], TorrentVersion.V2, PieceLength, seed);
        using var swarm = new SimSwarm(seed);

        // Every read a seed made (blocks to send, runs of them, whole pieces for block hashes) and every block the downloader wrote, in one order.
        var reads = new List<(int Node, int Piece, int Offset, int Length, long Order)>();
        var writes = new List<(int Piece, int Offset, long Order)>();
        long order = 0;
        var seeds = new List<SimNode>();
        for (int i = 0; i < 3; i++)
        {
            var node = swarm.AddNode();
            swarm.AddTorrent(node, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
            seeds.Add(node);
        }

        Assert.True(swarm.RunUntil(() => seeds.All(s => s.Torrent!.Status.State == TorrentState.Seeding), TimeSpan.FromMinutes(1)));
        for (int i = 0; i < seeds.Count; i++)
        {
            int index = i;
            seeds[i].Disk.ReadObserved = (piece, offset, length) => reads.Add((index, piece, offset, length, order++));
        }

        var liar = seeds[0];
        liar.Disk.CorruptRead = (_, offset) => offset == BadBlock * Block;

        var downloader = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All });
        downloader.Disk.FailWrite = (piece, offset) =>
        {
            writes.Add((piece, offset, order++));
            return false;
        };
        var failedAt = new Dictionary<int, long>();
        downloader.Session.Alerts.AlertPosted += (_, e) =>
        {
            if (e.Alert is HashFailedAlert failed)
            {
                failedAt[failed.PieceIndex] = order;
            }
        };
        var handle = swarm.AddTorrent(downloader, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = seeds.Select(s => s.EndPoint).ToList() });
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(5)), SimulatedSwarmTests.Describe(swarm));

        foreach (var file in content.Torrent.Files.Where(f => !f.IsPad))
        {
            Assert.Equal(content.Bytes(file), swarm.ReadFile(downloader, file));
        }

        var alerts = downloader.Session.PopAlerts();
        var bans = alerts.OfType<PeerBanAlert>().ToList();
        var ban = Assert.Single(bans);
        Assert.Equal(liar.EndPoint.Address, ban.EndPoint.Address);
        Assert.Contains("BEP 52 block hashes", ban.Reason, StringComparison.Ordinal);

        // Each failed piece: its block hashes were read from a seed's disk (the liar's true hashes would do too), and after the
        // failure no block of it was fetched again except the bad one.
        Assert.NotEmpty(failedAt);
        Assert.Equal(failedAt.Count, downloader.Torrent!.Runtime.Hashes.Blocks.Resolved);
        foreach (var (piece, at) in failedAt)
        {
            // The block hashes: a whole piece read by a seed after the failure.
            Assert.Contains(reads, r => r.Piece == piece && r.Order >= at && r.Offset == 0 && r.Length > Block);
            var again = writes.Where(w => w.Piece == piece && w.Order >= at).ToList();
            Assert.NotEmpty(again);
            Assert.All(again, w => Assert.Equal(BadBlock * Block, w.Offset));
            Assert.DoesNotContain(reads, r => r.Node == 0 && r.Piece == piece && r.Order >= at && r.Length == Block);
        }

        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public async Task A_peer_whose_block_hashes_do_not_prove_the_piece_is_dropped_and_the_piece_is_fetched_whole_from_an_honest_seed()
    {
        var content = await SimContent.CreateAsync("pack", [("big.bin", 1_000_000), ("note.txt", 3_000)], TorrentVersion.V2, PieceLength);
        using var swarm = new SimSwarm(17);
        var honest = swarm.AddNode();
        swarm.AddTorrent(honest, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        var liarHost = swarm.Network.AddHost();
        var listener = liarHost.Listen(new IPEndPoint(liarHost.Address, 6881));
        var asked = SimHashLiar.Start(swarm, listener, content.Torrent.InfoHashes.V2!.Truncated.ToArray(), sendsJunkBlocks: true);

        // Only the liar at first: it sends junk blocks, then junk block hashes for the pieces that failed.
        var downloader = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All, OutgoingEncryption = EncryptionPolicy.Disabled });
        var handle = swarm.AddTorrent(downloader, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [listener.LocalEndPoint] });
        var alerts = new List<Alert>();
        Assert.True(swarm.RunUntil(() => { alerts.AddRange(downloader.Session.PopAlerts()); return alerts.Any(a => a is PeerErrorAlert); }, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        var error = alerts.OfType<PeerErrorAlert>().First();
        Assert.Equal((ErrorCode.InvalidHashes, listener.LocalEndPoint), (error.Error, error.EndPoint));
        Assert.Contains(alerts, a => a is HashFailedAlert);
        Assert.Contains(asked, r => r.BaseLayer == 0 && r.Length == PieceLength / Block && r.UncleCount == 0);
        Assert.Equal(0, handle.Status.PiecesDone);

        // No one left to ask: the failed pieces go back to the picker whole, and the honest seed fills them.
        swarm.Run(handle.ConnectPeerAsync(honest.EndPoint));
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        foreach (var file in content.Torrent.Files.Where(f => !f.IsPad))
        {
            Assert.Equal(content.Bytes(file), swarm.ReadFile(downloader, file));
        }

        Assert.Equal(0, handle.Runtime.Hashes.Blocks.Count);
        Assert.Empty(swarm.Scheduler.Errors);
    }
}
