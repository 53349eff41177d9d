using System.Buffers.Binary;
using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Net;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>Smart ban and strikes on the address in a whole swarm: liars, reconnecting liars and protocol breakers.</summary>
public sealed class SimulatedSmartBanTests
{
    private const int Block = 16 * 1024;

    private static SessionSettings Watched => SimSwarm.DefaultSettings with { AlertMask = AlertCategory.All };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void AnHonestSeedThatSharedFailedPiecesWithALiarIsNeverBannedTheLiarIsAndTheDownloadCompletes(int seed)
    {
        using var swarm = new SimSwarm(seed);

        // Few large pieces: both peers serve blocks of the same pieces, so failed pieces have mixed senders.
        var (torrent, content) = SimSwarm.MakeTorrent(8 << 20, pieceLength: 1 << 20, contentSeed: seed);
        var honest = swarm.AddNode();
        swarm.AddTorrent(honest, torrent, content);
        var liar = Liar(swarm, torrent, content, (piece, offset) => offset == Block * ((piece + seed) % 8));
        var downloader = swarm.AddNode(Watched);
        swarm.AddTorrent(downloader, torrent, peers: [honest.EndPoint, liar.EndPoint]);

        Assert.True(swarm.RunUntil(() => downloader.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(10)), SimulatedSwarmTests.Describe(swarm));

        SimulatedSwarmTests.AssertHolds(swarm, downloader, content);
        Assert.Contains(swarm.Trace, l => l.Contains($"{downloader} hash_failed", StringComparison.Ordinal));
        var bans = Bans(swarm, downloader);
        // Proven by the data that passed, not by strikes alone.
        Assert.Contains(bans, l => l.Contains($"banned {liar.EndPoint}: smart ban", StringComparison.Ordinal));
        Assert.DoesNotContain(bans, l => l.Contains(honest.EndPoint.Address.ToString(), StringComparison.Ordinal));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void ALiarThatReconnectsKeepsItsStrikesAndIsBannedAndRefusedWhenItComesBack()
    {
        using var swarm = new SimSwarm(5);
        var (torrent, content) = SimSwarm.MakeTorrent(4 << 20);
        var liar = Liar(swarm, torrent, content, (_, _) => true);
        var downloader = swarm.AddNode(Watched);
        var download = swarm.AddTorrent(downloader, torrent, peers: [liar.EndPoint]);

        // Each connection is cut after its first failed piece: strikes counted per connection never add up.
        int connections = 0;
        for (int round = 0; round < 10 && Bans(swarm, downloader).Count == 0; round++)
        {
            int failures = Count(swarm, downloader, "hash_failed");
            Assert.True(swarm.RunUntil(() => Count(swarm, downloader, "hash_failed") > failures || Bans(swarm, downloader).Count > 0, TimeSpan.FromMinutes(5)), SimulatedSwarmTests.Describe(swarm));
            connections = Count(swarm, downloader, "peer_connect");
            swarm.Run(download.PauseAsync());
            swarm.Run(download.ResumeAsync());
        }

        Assert.Contains(Bans(swarm, downloader), l => l.Contains($"banned {liar.EndPoint}", StringComparison.Ordinal));
        Assert.True(connections >= 3, $"{connections} connections before the ban");

        // The liar dials in again, again and again: each time it is refused.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            swarm.Run(liar.Torrent!.ConnectPeerAsync(downloader.EndPoint));
            swarm.RunFor(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(connections, Count(swarm, downloader, "peer_connect"));
        Assert.Equal(0, swarm.Status(downloader).PeerCount);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void AProtocolBreakerIsNotRedialledBeforeItsBackOffAndIsBannedAfterThreeStrikes()
    {
        using var swarm = new SimSwarm(6);
        var (torrent, _) = SimSwarm.MakeTorrent(1 << 20);
        var breaker = swarm.Network.AddHost();
        var listener = breaker.Listen(new IPEndPoint(breaker.Address, 6881));
        var accepted = new List<TimeSpan>();

        // Started under the scheduler's context so its continuations run in the simulation, not on xunit's.
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(swarm.Scheduler);
        try
        {
            _ = BreakProtocolAsync(swarm, listener, torrent.InfoHashes.V1!.Span.ToArray(), accepted);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        var downloader = swarm.AddNode(Watched);
        swarm.AddTorrent(downloader, torrent, peers: [listener.LocalEndPoint]);

        swarm.RunFor(TimeSpan.FromMinutes(30));

        // The breaker speaks no MSE: the first dial offers it, is refused and retries in plaintext at
        // once; later dials remember and go plaintext straight away. Redialled every 10 s before the
        // back-off: here 30 s, then 60 s, then banned.
        Assert.True(accepted.Count == 4, $"accepted at {string.Join(", ", accepted)}");
        Assert.True(accepted[1] - accepted[0] < TimeSpan.FromSeconds(1), $"the plaintext retry came {accepted[1] - accepted[0]} after the MSE attempt");
        accepted.RemoveAt(0);
        Assert.True(accepted[1] - accepted[0] >= TimeSpan.FromSeconds(30), $"{accepted[0]} then {accepted[1]}");
        Assert.True(accepted[2] - accepted[1] >= TimeSpan.FromSeconds(60), $"{accepted[1]} then {accepted[2]}");
        Assert.Equal(3, Count(swarm, downloader, "peer_error"));
        Assert.Contains(Bans(swarm, downloader), l => l.Contains($"banned {listener.LocalEndPoint}", StringComparison.Ordinal));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    /// <summary>A normal engine that seeds the torrent but, once checked, reads altered bytes wherever <paramref name="corrupt"/> says.</summary>
    private static SimNode Liar(SimSwarm swarm, GodotTorrent.Metainfo.TorrentInfo torrent, byte[] content, Func<int, int, bool> corrupt)
    {
        var liar = swarm.AddNode();
        swarm.AddTorrent(liar, torrent, content);
        Assert.True(swarm.RunUntil(() => liar.Torrent!.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(1)));
        liar.Disk.CorruptRead = corrupt;
        return liar;
    }

    private static List<string> Bans(SimSwarm swarm, SimNode node) =>
        swarm.Trace.Where(l => l.Contains($"{node} peer_ban ", StringComparison.Ordinal)).ToList();

    private static int Count(SimSwarm swarm, SimNode node, string type) =>
        swarm.Trace.Count(l => l.Contains($"{node} {type} ", StringComparison.Ordinal));

    // Answers the handshake, then announces a 2 GiB message: the engine drops it for MessageTooLarge.
    private static async Task BreakProtocolAsync(SimSwarm swarm, ITransportListener listener, byte[] infoHash, List<TimeSpan> accepted)
    {
        while (true)
        {
            var stream = await listener.AcceptAsync(CancellationToken.None).ConfigureAwait(true);
            accepted.Add(swarm.Clock.Elapsed);
            var hello = new byte[Handshake.Length];
            for (int read = 0; read < hello.Length;)
            {
                int n = await stream.ReceiveAsync(hello.AsMemory(read), CancellationToken.None).ConfigureAwait(true);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            var reply = new byte[Handshake.Length + 5];
            Handshake.Create(HandshakeReserved.Create(extensionProtocol: false, fastExtension: false, dht: false), infoHash, PeerId.Generate("-BR0001-")).WriteTo(reply);
            BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(Handshake.Length), 0x7FFFFFF0);
            reply[^1] = (byte)PeerMessageType.Piece;
            await stream.SendAsync(reply, CancellationToken.None).ConfigureAwait(true);
        }
    }
}
