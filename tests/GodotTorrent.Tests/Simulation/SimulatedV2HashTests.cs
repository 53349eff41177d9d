using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// BEP 52 hash requests between our sessions on virtual time: v2-only magnets carry no piece
/// layers, so each downloader fetches them (from the seed, or from another downloader that fetched
/// them first), verifies them against the pieces roots, and only then can verify the pieces of
/// files larger than one piece. Resume data keeps fetched layers.
/// </summary>
public sealed class SimulatedV2HashTests
{
    private static readonly (string, int)[] Files = [("a.bin", 700_000), ("b/c.bin", 300_000), ("d.bin", 40_000), ("small.txt", 5_000)];

    [Fact]
    public async Task V2MagnetsFetchThePieceLayersFromTheSeedAndFromEachOther()
    {
        var content = await SimContent.CreateAsync("pack", Files, TorrentVersion.V2);
        Assert.True(content.Torrent.Files.Count(f => !f.IsPad && f.Length > content.Torrent.PieceLength) >= 3);
        using var swarm = new SimSwarm(52);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);

        // Only the v2 hash (xt=urn:btmh:): the v2-only form of the link.
        var v2Only = new InfoHashes(null, content.Torrent.InfoHashes.V2);
        var first = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All });
        var firstHandle = swarm.AddTorrent(first, new AddTorrentParams { Magnet = MagnetLink.Create(v2Only, "pack", peers: [seed.EndPoint]), SavePath = "" });
        Assert.True(swarm.RunUntil(() => firstHandle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));

        // Two more know only the first downloader: it serves them the layers it fetched.
        var later = Enumerable.Range(0, 2).Select(_ => swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All })).ToList();
        var handles = later.Select(n => swarm.AddTorrent(n, new AddTorrentParams { Magnet = MagnetLink.Create(v2Only, "pack", peers: [first.EndPoint]), SavePath = "" })).ToList();
        Assert.True(swarm.RunUntil(() => handles.All(h => h.Status.State == TorrentState.Seeding), TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));

        foreach (var (node, handle) in later.Prepend(first).Zip(handles.Prepend(firstHandle)))
        {
            var info = handle.TorrentInfo!;
            Assert.True(info.HasPieceLayers);
            foreach (var file in content.Torrent.Files.Where(f => !f.IsPad))
            {
                Assert.Equal(content.Torrent.GetPieceLayer(file.Index).ToArray(), info.GetPieceLayer(file.Index).ToArray());
                Assert.Equal(content.Bytes(file), swarm.ReadFile(node, file));
            }

            Assert.DoesNotContain(node.Session.PopAlerts(), a => a is HashFailedAlert or PeerErrorAlert);
        }

        // The magnet-started torrent writes a whole .torrent: info dictionary and piece layers.
        var written = TorrentInfo.Parse(firstHandle.TorrentInfo!.ToBytes());
        Assert.Equal(content.Torrent.InfoHashes, written.InfoHashes);
        Assert.True(written.HasPieceLayers);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public async Task ResumeDataKeepsFetchedLayersSoARestartNeedsNoPeer()
    {
        var content = await SimContent.CreateAsync("pack", Files, TorrentVersion.V2);
        using var swarm = new SimSwarm(53);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        var magnet = MagnetLink.Create(new InfoHashes(null, content.Torrent.InfoHashes.V2), "pack", peers: [seed.EndPoint]);
        var leecher = swarm.AddNode();
        var handle = swarm.AddTorrent(leecher, new AddTorrentParams { Magnet = magnet, SavePath = "" });
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));

        var resume = ResumeDataSerializer.Decode(ResumeDataSerializer.Encode(swarm.Run(handle.SaveResumeDataAsync())));
        Assert.True(resume.Torrent!.HasPieceLayers);

        // No peer this time: a recheck of the restarted torrent hashes every piece with the saved layers alone.
        var restarted = swarm.AddNode(disk: leecher.Disk);
        var again = swarm.AddTorrent(restarted, new AddTorrentParams { Magnet = MagnetLink.Create(magnet.InfoHashes, "pack"), SavePath = $"/sim/{leecher}", ResumeData = resume });
        Assert.True(swarm.RunUntil(() => again.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        swarm.Run(again.ForceRecheckAsync());
        Assert.True(swarm.RunUntil(() => again.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        Assert.Equal(content.Torrent.PieceCount, again.Status.PiecesDone);
        Assert.Equal(0, again.Status.PeerCount);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public async Task APartlyDamagedFileOnDiskIsVerifiedPieceByPieceOnceItsLayerArrivesAndOnlyTheBadPieceIsFetched()
    {
        var content = await SimContent.CreateAsync("pack", Files, TorrentVersion.V2);
        using var swarm = new SimSwarm(55);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);

        // A crash without resume data: the files are on disk, but one block of a large file is wrong, so the file's
        // root no longer proves it.
        var damaged = content.Torrent.Files.First(f => !f.IsPad && f.LastPiece - f.FirstPiece >= 2);
        int bad = damaged.FirstPiece + 1;
        var onDisk = content.PieceSpace.ToArray();
        Array.Clear(onDisk, bad * content.Torrent.PieceLength, 16 * 1024);

        // The info dictionary alone (what a magnet gets from a peer) over those files, no resume data and no peer at
        // first: the check can prove only the files within one piece (their root is their piece hash); the others
        // wait for their layers, which come from the seed once it is connected.
        var again = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All });
        var handle = swarm.AddTorrent(again, new AddTorrentParams { Torrent = TorrentInfo.FromInfoDictionary(content.Torrent.InfoBytes.Span), SavePath = "" }, onDisk);
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Downloading, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        var large = content.Torrent.Files.Where(f => !f.IsPad && f.Length > content.Torrent.PieceLength).ToList();
        var largePieces = large.SelectMany(f => Enumerable.Range(f.FirstPiece, f.LastPiece - f.FirstPiece + 1)).Order().ToList();
        Assert.Equal(content.Torrent.PieceCount - largePieces.Count, handle.Status.PiecesDone);
        again.Session.PopAlerts();

        swarm.Run(handle.ConnectPeerAsync(seed.EndPoint));
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));

        // Only the damaged piece came over the wire; every other piece of the large files was read from disk, proven
        // against its layer and announced as found.
        Assert.Equal(content.Torrent.GetPieceSize(bad), handle.Status.TotalPayloadDownload);
        var finished = again.Session.PopAlerts().OfType<PieceFinishedAlert>().Select(a => a.PieceIndex).Order().ToArray();
        Assert.Equal(largePieces, finished);
        foreach (var file in content.Torrent.Files.Where(f => !f.IsPad))
        {
            Assert.Equal(content.Bytes(file), swarm.ReadFile(again, file));
        }

        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public async Task APeerSendingHashesThatDoNotProveTheRootIsDroppedAndAnHonestOneCompletesTheDownload()
    {
        var content = await SimContent.CreateAsync("pack", Files, TorrentVersion.V2);
        using var swarm = new SimSwarm(54);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);
        var liarHost = swarm.Network.AddHost();
        var listener = liarHost.Listen(new IPEndPoint(liarHost.Address, 6881));
        var asked = SimHashLiar.Start(swarm, listener, content.Torrent.InfoHashes.V2!.Truncated.ToArray(), sendsJunkBlocks: false);

        // The info dictionary alone (as a magnet gets it), and only the liar to ask at first.
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All, OutgoingEncryption = EncryptionPolicy.Disabled });
        var handle = swarm.AddTorrent(leecher, new AddTorrentParams { Torrent = TorrentInfo.FromInfoDictionary(content.Torrent.InfoBytes.Span), SavePath = "", Peers = [listener.LocalEndPoint] });
        var alerts = new List<Alert>();
        Assert.True(swarm.RunUntil(() => { alerts.AddRange(leecher.Session.PopAlerts()); return alerts.Any(a => a is PeerErrorAlert); }, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        var error = alerts.OfType<PeerErrorAlert>().First();
        Assert.Equal((ErrorCode.InvalidHashes, listener.LocalEndPoint), (error.Error, error.EndPoint));
        Assert.NotEmpty(asked);
        Assert.Equal(0, handle.Status.PiecesDone);

        swarm.Run(handle.ConnectPeerAsync(seed.EndPoint));
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        foreach (var file in content.Torrent.Files.Where(f => !f.IsPad))
        {
            Assert.Equal(content.Bytes(file), swarm.ReadFile(leecher, file));
        }

        Assert.DoesNotContain(leecher.Session.PopAlerts(), a => a is HashFailedAlert);
        Assert.Empty(swarm.Scheduler.Errors);
    }
}
