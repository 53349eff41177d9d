using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A peer that goes silent mid-transfer (a partition around it), on virtual time. Its requests time
/// out after <see cref="SessionSettings.RequestTimeout"/> (30 s); a time-out marks it snubbed until it
/// sends a block again, which cuts it to one outstanding request, so the blocks it held go to the other peers.
/// </summary>
public sealed class SimulatedRequestTimeoutTests
{
    private static readonly TimeSpan RequestTimeout = new SessionSettings().RequestTimeout;

    [Fact]
    public void ASilentPeersBlocksAreRequestedFromAnotherPeerAfterTheTimeoutAndTheDownloadCompletes()
    {
        using var swarm = new SimSwarm(21);
        var (torrent, content, silent, other, leecher) = SetUp(swarm, withOther: true);
        var cut = CutOff(swarm, silent, leecher);

        // Before the time-out the requests stay with the silent peer: nothing is given up early.
        swarm.RunFor(RequestTimeout / 2);
        var held = Peer(swarm, leecher, silent)!;
        Assert.Equal(cut.Pending, held.PendingRequests);
        Assert.False(held.IsSnubbed);

        // Every request out at the cut was sent before it, so all have timed out one time-out later.
        swarm.RunFor(cut.At + RequestTimeout + TimeSpan.FromSeconds(2) - swarm.Clock.Elapsed);
        var timedOut = Peer(swarm, leecher, silent)!;
        Assert.True(timedOut.IsSnubbed);
        Assert.InRange(timedOut.PendingRequests, 0, 1);
        // Most of the torrent is still to come: the time-out, not the end-game, freed the blocks.
        Assert.True(swarm.Status(leecher).TotalDone < torrent.TotalSize * 3 / 4);

        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(5)), SimulatedSwarmTests.Describe(swarm));
        // Well before the inactivity time-out would have dropped the silent peer and freed its blocks that way.
        Assert.True(swarm.Clock.Elapsed - cut.At < new SessionSettings().PeerInactivityTimeout, $"finished {swarm.Clock.Elapsed - cut.At} after the cut");
        Assert.True(swarm.Status(leecher).TotalPayloadDownload >= torrent.TotalSize);
        SimulatedSwarmTests.AssertHolds(swarm, leecher, content);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void ASilentPeerIsSnubbedDownToOneRequestAndRecoversWhenItAnswersAgain()
    {
        using var swarm = new SimSwarm(22);
        var (_, content, silent, _, leecher) = SetUp(swarm, withOther: false);
        var cut = CutOff(swarm, silent, leecher);
        Assert.True(cut.Pending > 1);

        Assert.True(swarm.RunUntil(() => Peer(swarm, leecher, silent)?.IsSnubbed == true, RequestTimeout + TimeSpan.FromSeconds(1)), SimulatedSwarmTests.Describe(swarm));
        Assert.True(swarm.Clock.Elapsed - cut.At >= RequestTimeout / 2, $"snubbed {swarm.Clock.Elapsed - cut.At} after the cut");
        // Asked again while silent, it gets one request at a time, and stays snubbed.
        swarm.RunFor(TimeSpan.FromSeconds(20));
        var snubbed = Peer(swarm, leecher, silent)!;
        Assert.True(snubbed.IsSnubbed);
        Assert.Equal(1, snubbed.PendingRequests);

        // Healed before the inactivity time-out: its first block clears the snub and the download completes from it.
        swarm.Network.Heal();
        Assert.True(swarm.RunUntil(() => Peer(swarm, leecher, silent)?.IsSnubbed == false, TimeSpan.FromSeconds(10)), SimulatedSwarmTests.Describe(swarm));
        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(5)), SimulatedSwarmTests.Describe(swarm));
        SimulatedSwarmTests.AssertHolds(swarm, leecher, content);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    // Two seeds at 64 KiB/s and 128 KiB/s and a downloader of 8 MiB: a transfer of about a minute.
    private static (GodotTorrent.Metainfo.TorrentInfo Torrent, byte[] Content, SimNode Silent, SimNode Other, SimNode Leecher) SetUp(SimSwarm swarm, bool withOther)
    {
        swarm.Network.DefaultLink = new LinkProfile(TimeSpan.FromMilliseconds(20), 64 * 1024);
        var (torrent, content) = SimSwarm.MakeTorrent(8 << 20, pieceLength: 64 * 1024);
        var silent = swarm.AddNode();
        swarm.AddTorrent(silent, torrent, content);
        var other = swarm.AddNode();
        swarm.AddTorrent(other, torrent, content);
        var leecher = swarm.AddNode();
        swarm.Network.SetLink(leecher.Host.Address, other.Host.Address, new LinkProfile(TimeSpan.FromMilliseconds(20), 128 * 1024));
        swarm.AddTorrent(leecher, torrent, peers: withOther ? [silent.EndPoint, other.EndPoint] : [silent.EndPoint]);
        return (torrent, content, silent, other, leecher);
    }

    /// <summary>Once the download is under way, cuts the silent peer off; returns when, and how many requests it holds.</summary>
    private static (TimeSpan At, int Pending) CutOff(SimSwarm swarm, SimNode silent, SimNode leecher)
    {
        Assert.True(swarm.RunUntil(() => leecher.Torrent!.Status.TotalDone > 512 * 1024, TimeSpan.FromMinutes(1)), SimulatedSwarmTests.Describe(swarm));
        swarm.Network.Partition([silent.Host.Address]);
        var pending = Peer(swarm, leecher, silent)!.PendingRequests;
        Assert.True(pending > 0);
        return (swarm.Clock.Elapsed, pending);
    }

    private static PeerInfo? Peer(SimSwarm swarm, SimNode node, SimNode remote) =>
        swarm.Run(node.Torrent!.GetPeersAsync()).FirstOrDefault(p => p.EndPoint.Address.Equals(remote.Host.Address));
}
