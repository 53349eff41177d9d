using GodotTorrent.Alerts;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// Metadata from peers (BEP 9) and peer exchange (BEP 11) between sessions on virtual time.
/// (These ran on loopback sockets and the real clock before the simulation.)
/// </summary>
public sealed class SimulatedMagnetAndPexTests
{
    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task AMagnetWithOnlyAPeerFetchesTheMetadataAndDownloads(TorrentVersion version)
    {
        var content = await SimContent.CreateAsync("pack", [("a.bin", 700_000), ("b/c.bin", 300_000)], version);
        using var swarm = new SimSwarm(26);
        var seed = swarm.AddNode();
        swarm.AddTorrent(seed, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);

        var magnet = MagnetLink.Create(content.Torrent.InfoHashes, "pack", peers: [seed.EndPoint]);
        var leecher = swarm.AddNode(SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All });
        var handle = swarm.AddTorrent(leecher, new AddTorrentParams { Magnet = MagnetLink.Parse(magnet.ToUri()), SavePath = "" });
        Assert.Null(handle.TorrentInfo);
        Assert.Equal(TorrentState.DownloadingMetadata, handle.Status.State);

        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        Assert.True(swarm.Status(leecher).HasMetadata);
        Assert.Equal(content.Torrent.InfoHashes, handle.TorrentInfo!.InfoHashes);
        Assert.Contains(leecher.Session.PopAlerts(), a => a is MetadataReceivedAlert);
        foreach (var file in content.Torrent.Files.Where(f => !f.IsPad))
        {
            Assert.Equal(content.Bytes(file), swarm.ReadFile(leecher, file));
        }

        // Resume data of a magnet keeps the metadata, so a restart on the same disk needs no peer to fetch it again.
        var resume = swarm.Run(handle.SaveResumeDataAsync());
        Assert.NotNull(resume.Torrent);
        var restarted = swarm.AddNode(disk: leecher.Disk);
        var again = swarm.AddTorrent(restarted, new AddTorrentParams { Magnet = magnet, SavePath = $"/sim/{leecher}", ResumeData = resume });
        Assert.NotNull(again.TorrentInfo);
        Assert.True(swarm.RunUntil(() => again.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PeerExchangeIntroducesAPeerKnownOnlyToANeighbour(bool encrypted)
    {
        using var swarm = new SimSwarm(27);
        var content = SimContent.Create("pack", [("a.bin", 300_000), ("b.bin", 300_000)]);
        var settings = encrypted
            ? SimSwarm.DefaultSettings with { IncomingEncryption = EncryptionPolicy.Forced, OutgoingEncryption = EncryptionPolicy.Forced }
            : SimSwarm.DefaultSettings with { IncomingEncryption = EncryptionPolicy.Disabled, OutgoingEncryption = EncryptionPolicy.Disabled };
        var a = swarm.AddNode(settings);
        swarm.AddTorrent(a, new AddTorrentParams { Torrent = content.Torrent, SavePath = "" }, content.PieceSpace);

        // B knows A and wants only one file, so it stays a downloader connected to A; C knows only B.
        var b = swarm.AddNode(settings);
        var bHandle = swarm.AddTorrent(b, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [a.EndPoint], FilePriorities = [Priority.Normal, Priority.Skip] });
        Assert.True(swarm.RunUntil(() => bHandle.Status.State == TorrentState.Finished, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        Assert.Equal(1, swarm.Status(b).PeerCount);

        var c = swarm.AddNode(settings);
        var cHandle = swarm.AddTorrent(c, new AddTorrentParams { Torrent = content.Torrent, SavePath = "", Peers = [b.EndPoint] });

        // Only A has the second file: C finishes only if B's peer exchange told it about A.
        Assert.True(swarm.RunUntil(() => cHandle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(2)), SimulatedSwarmTests.Describe(swarm));
        SimulatedSwarmTests.AssertHolds(swarm, c, content.PieceSpace);
        Assert.True(swarm.Status(c).KnownPeerCount >= 2);

        // B said whether it held an MSE connection with A (BEP 11's encryption flag).
        var learned = swarm.Run(c.Session.Loop.InvokeAsync(() => c.Session.Runtimes[0].PeerList.Candidates.Single(p => p.EndPoint.Address.Equals(a.EndPoint.Address)).PexFlags));
        Assert.Equal(encrypted, (learned & PexFlags.PrefersEncryption) != 0);
        Assert.Empty(swarm.Scheduler.Errors);
    }
}
