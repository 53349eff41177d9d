using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;
using GodotTorrent.Tests.Metainfo;
using GodotTorrent.Wire;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Wire;

public class MetadataFetcherTests
{
    private enum Behaviour
    {
        Honest,
        Corrupt,
        Reject,
        Silent,
    }

    [Fact]
    public void Three_peers_answering_out_of_order_deliver_a_verified_dictionary()
    {
        var info = InfoDictionary(3);
        var time = new FakeTimeProvider();
        var fetcher = new MetadataFetcher(V1(info), time);
        var swarm = new SimulatedSwarm(fetcher, time, info, new Random(1));
        swarm.Add(1, Behaviour.Honest).Add(2, Behaviour.Honest).Add(3, Behaviour.Honest);

        var outcomes = swarm.Run();

        Assert.True(fetcher.IsComplete);
        Assert.Equal(info, fetcher.Metadata);
        Assert.Single(outcomes, o => o == MetadataFetchOutcome.Completed);
        Assert.True(swarm.PeersAsked.Count >= 2, "requests went to several peers at once");
        Assert.Equal(0, swarm.DuplicateRequests);
        var parsed = TorrentInfo.FromInfoDictionary(fetcher.Metadata);
        Assert.Equal("meta", parsed.Name);
        Assert.False(fetcher.TryGetRequest(1, out _));
    }

    [Fact]
    public void No_peer_gets_more_than_its_share_or_two_requests_for_one_piece()
    {
        var info = InfoDictionary(20);
        var fetcher = new MetadataFetcher(V1(info), new FakeTimeProvider(), new MetadataFetcherOptions { MaxOutstandingPerPeer = 2 });
        fetcher.AddPeer(1, info.Length);
        fetcher.AddPeer(2, info.Length);

        var pieces = new List<int>();
        while (fetcher.TryGetRequest(1, out int piece))
        {
            pieces.Add(piece);
        }

        while (fetcher.TryGetRequest(2, out int piece))
        {
            pieces.Add(piece);
        }

        Assert.Equal([0, 1, 2, 3], pieces);
    }

    [Fact]
    public void Rejected_pieces_go_to_other_peers()
    {
        var info = InfoDictionary(4);
        var time = new FakeTimeProvider();
        var fetcher = new MetadataFetcher(V1(info), time);
        var swarm = new SimulatedSwarm(fetcher, time, info, new Random(2));
        swarm.Add(1, Behaviour.Reject).Add(2, Behaviour.Honest).Add(3, Behaviour.Honest);

        swarm.Run();

        Assert.True(fetcher.IsComplete);
        Assert.Equal(info, fetcher.Metadata);
        Assert.True(swarm.Rejects > 0);
    }

    [Fact]
    public void Requests_that_time_out_are_given_to_others()
    {
        var info = InfoDictionary(4);
        var time = new FakeTimeProvider();
        var fetcher = new MetadataFetcher(V1(info), time);
        var swarm = new SimulatedSwarm(fetcher, time, info, new Random(3));
        swarm.Add(1, Behaviour.Silent).Add(2, Behaviour.Honest).Add(3, Behaviour.Silent);

        swarm.Run();

        Assert.True(fetcher.IsComplete);
        Assert.Equal(info, fetcher.Metadata);
        Assert.True(swarm.Expired > 0);
    }

    [Fact]
    public void Only_a_silent_peer_left_is_asked_again_after_its_backoff()
    {
        var info = InfoDictionary(1);
        var time = new FakeTimeProvider();
        var fetcher = new MetadataFetcher(V1(info), time);
        fetcher.AddPeer(1, info.Length);
        for (int round = 0; round < 5; round++)
        {
            Assert.True(fetcher.TryGetRequest(1, out int piece));
            Assert.Equal(0, piece);
            Assert.False(fetcher.TryGetRequest(1, out _));
            time.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal(1, fetcher.Tick());
            Assert.False(fetcher.TryGetRequest(1, out _));
            time.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public void A_disconnected_peer_gives_its_pieces_back()
    {
        var info = InfoDictionary(2);
        var fetcher = new MetadataFetcher(V1(info), new FakeTimeProvider(), new MetadataFetcherOptions { MaxOutstandingPerPeer = 1 });
        fetcher.AddPeer(1, info.Length);
        fetcher.AddPeer(2, info.Length);
        Assert.True(fetcher.TryGetRequest(1, out int first));
        Assert.True(fetcher.TryGetRequest(2, out int second));
        Assert.NotEqual(first, second);
        fetcher.RemovePeer(1);
        Assert.Equal(MetadataFetchOutcome.Accepted, Deliver(fetcher, 2, info, second));
        Assert.True(fetcher.TryGetRequest(2, out int again));
        Assert.Equal(first, again);
        Assert.Equal(MetadataFetchOutcome.Completed, Deliver(fetcher, 2, info, again));
        Assert.Equal(info, fetcher.Metadata);
    }

    [Fact]
    public void A_peer_sending_bad_data_is_found_and_the_fetch_restarts_without_it()
    {
        // One request per peer at a time: peer 7 alone is asked for piece 0, so it surely contributes.
        var info = InfoDictionary(6);
        var time = new FakeTimeProvider();
        var fetcher = new MetadataFetcher(V1(info), time, new MetadataFetcherOptions { MaxOutstandingPerPeer = 1 });
        var swarm = new SimulatedSwarm(fetcher, time, info, new Random(4));
        swarm.Add(7, Behaviour.Corrupt).Add(8, Behaviour.Honest).Add(9, Behaviour.Honest);

        var outcomes = swarm.Run();

        Assert.True(fetcher.IsComplete);
        Assert.Equal(info, fetcher.Metadata);
        Assert.Contains(MetadataFetchOutcome.HashMismatch, outcomes);
        Assert.True(fetcher.SingleSource);
        Assert.Equal(7, fetcher.LastHashFailure!.Culprit);
        Assert.Equal([7], fetcher.LastHashFailure.Contributors);
        Assert.Equal(2, fetcher.HashFailures);
        Assert.True(swarm.Failures[0].Contributors.Count > 1, "the first attempt drew from several peers");
        Assert.Contains(7, swarm.Failures[0].Contributors);
        Assert.Null(swarm.Failures[0].Culprit);
    }

    [Fact]
    public void A_sole_contributor_of_bad_data_is_convicted_at_once()
    {
        var info = InfoDictionary(2);
        var time = new FakeTimeProvider();
        var fetcher = new MetadataFetcher(V1(info), time);
        var swarm = new SimulatedSwarm(fetcher, time, info, new Random(5));
        swarm.Add(1, Behaviour.Corrupt);
        var outcomes = swarm.Run(maxRounds: 20);

        Assert.Equal([MetadataFetchOutcome.HashMismatch], outcomes.Where(o => o != MetadataFetchOutcome.Accepted));
        Assert.Equal(1, fetcher.LastHashFailure!.Culprit);
        Assert.False(fetcher.TryGetRequest(1, out _));
        Assert.False(fetcher.IsComplete);

        swarm.Add(2, Behaviour.Honest);
        swarm.Run();
        Assert.Equal(info, fetcher.Metadata);
    }

    [Fact]
    public void A_huge_or_missing_metadata_size_is_refused()
    {
        var info = InfoDictionary(1);
        var fetcher = new MetadataFetcher(V1(info), new FakeTimeProvider(), new MetadataFetcherOptions { MaxMetadataSize = 1024 * 1024 });
        Assert.False(fetcher.AddPeer(1, 1024 * 1024 + 1));
        Assert.False(fetcher.AddPeer(2, long.MaxValue));
        Assert.False(fetcher.AddPeer(3, 0));
        Assert.False(fetcher.AddPeer(4, null));
        Assert.Null(fetcher.MetadataSize);
        Assert.False(fetcher.TryGetRequest(1, out _));
        Assert.False(fetcher.TryGetRequest(2, out _));
        Assert.True(fetcher.AddPeer(5, info.Length));
        Assert.Equal(info.Length, fetcher.MetadataSize);
    }

    [Fact]
    public void Data_whose_total_size_is_not_the_announced_one_convicts_the_peer()
    {
        var info = InfoDictionary(2);
        var fetcher = new MetadataFetcher(V1(info), new FakeTimeProvider());
        fetcher.AddPeer(1, info.Length);
        Assert.True(fetcher.TryGetRequest(1, out _));
        var lie = MetadataMessage.Parse(MetadataMessage.CreateData(0, 20_000, new byte[16_384]));
        Assert.Equal(MetadataFetchOutcome.Invalid, fetcher.OnData(1, lie));
        Assert.False(fetcher.TryGetRequest(1, out _));
    }

    [Fact]
    public void Unsolicited_data_is_ignored()
    {
        var info = InfoDictionary(2);
        var fetcher = new MetadataFetcher(V1(info), new FakeTimeProvider());
        fetcher.AddPeer(1, info.Length);
        fetcher.AddPeer(2, info.Length);
        Assert.Equal(MetadataFetchOutcome.Ignored, Deliver(fetcher, 1, info, 0));
        Assert.Equal(MetadataFetchOutcome.Ignored, Deliver(fetcher, 3, info, 0));
        Assert.Equal(0, fetcher.PiecesReceived);
    }

    [Fact]
    public void The_size_most_peers_announce_is_fetched_first()
    {
        var info = InfoDictionary(2);
        var time = new FakeTimeProvider();
        var fetcher = new MetadataFetcher(V1(info), time);
        var swarm = new SimulatedSwarm(fetcher, time, info, new Random(6));
        swarm.Add(1, Behaviour.Honest, sizeLie: 5000).Add(2, Behaviour.Honest).Add(3, Behaviour.Honest);
        Assert.Equal(info.Length, fetcher.MetadataSize);

        var outcomes = swarm.Run();

        Assert.DoesNotContain(MetadataFetchOutcome.HashMismatch, outcomes);
        Assert.Equal(info, fetcher.Metadata);
        Assert.DoesNotContain(1, swarm.PeersAsked);
    }

    [Fact]
    public void A_wrong_size_announced_first_fails_and_the_other_size_is_tried()
    {
        var info = InfoDictionary(2);
        var time = new FakeTimeProvider();
        var fetcher = new MetadataFetcher(V1(info), time);
        var swarm = new SimulatedSwarm(fetcher, time, info, new Random(7));
        swarm.Add(1, Behaviour.Honest, sizeLie: 5000).Add(2, Behaviour.Honest);
        Assert.Equal(5000, fetcher.MetadataSize);

        var outcomes = swarm.Run();

        Assert.Equal(info, fetcher.Metadata);
        Assert.Contains(MetadataFetchOutcome.HashMismatch, outcomes);
        Assert.Equal(1, fetcher.LastHashFailure!.Culprit);
        Assert.Equal(5000, fetcher.LastHashFailure.MetadataSize);
    }

    [Fact]
    public void A_v2_info_hash_is_checked_with_sha256()
    {
        var info = InfoDictionary(2);
        Assert.Equal(info, FetchFrom(info, new InfoHashes(null, InfoHash.ComputeV2(info))).Metadata);

        var wrong = FetchFrom(info, new InfoHashes(null, InfoHash.ComputeV2(info.Take(10).ToArray())), maxRounds: 10);
        Assert.False(wrong.IsComplete);
        Assert.True(wrong.HashFailures > 0);
    }

    [Fact]
    public void A_hybrid_needs_both_hashes_to_match()
    {
        var info = InfoDictionary(2);
        Assert.Equal(info, FetchFrom(info, new InfoHashes(InfoHash.ComputeV1(info), InfoHash.ComputeV2(info))).Metadata);

        var v2Wrong = FetchFrom(info, new InfoHashes(InfoHash.ComputeV1(info), InfoHash.ComputeV2([1])), maxRounds: 10);
        Assert.False(v2Wrong.IsComplete);
        var v1Wrong = FetchFrom(info, new InfoHashes(InfoHash.ComputeV1([1]), InfoHash.ComputeV2(info)), maxRounds: 10);
        Assert.False(v1Wrong.IsComplete);
    }

    [Fact]
    public void The_server_answers_requests_and_caps_each_peer()
    {
        var info = InfoDictionary(3);
        var time = new FakeTimeProvider();
        var server = new MetadataServer(time, maxPiecesPerWindow: 4);
        Assert.Null(server.MetadataSize);
        Assert.Equal(MetadataMessageType.Reject, MetadataMessage.Parse(server.HandleRequest(1, 0)).Type);

        server.SetMetadata(info);
        Assert.Equal(info.Length, server.MetadataSize);
        var assembled = new List<byte>();
        for (int piece = 0; piece < MetadataMessage.PieceCount(info.Length); piece++)
        {
            var message = MetadataMessage.Parse(server.HandleRequest(1, piece));
            Assert.Equal(MetadataMessageType.Data, message.Type);
            Assert.Equal(info.Length, message.TotalSize);
            assembled.AddRange(message.Data.ToArray());
        }

        Assert.Equal(info, assembled);
        Assert.Equal(MetadataMessageType.Reject, MetadataMessage.Parse(server.HandleRequest(1, 99)).Type);
        Assert.Equal(MetadataMessageType.Data, MetadataMessage.Parse(server.HandleRequest(1, 0)).Type);
        Assert.Equal(MetadataMessageType.Reject, MetadataMessage.Parse(server.HandleRequest(1, 0)).Type);
        Assert.Equal(MetadataMessageType.Data, MetadataMessage.Parse(server.HandleRequest(2, 0)).Type);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(MetadataMessageType.Data, MetadataMessage.Parse(server.HandleRequest(1, 0)).Type);
    }

    [Fact]
    public void A_server_and_fetchers_complete_a_magnet_end_to_end()
    {
        var info = InfoDictionary(5);
        var time = new FakeTimeProvider();
        var server = new MetadataServer(time);
        server.SetMetadata(info);
        var fetcher = new MetadataFetcher(V1(info), time);
        fetcher.AddPeer(1, server.MetadataSize);
        while (fetcher.TryGetRequest(1, out int piece) || !fetcher.IsComplete)
        {
            var request = MetadataMessage.Parse(MetadataMessage.CreateRequest(piece));
            fetcher.OnData(1, MetadataMessage.Parse(server.HandleRequest(1, request.Piece)));
        }

        Assert.Equal(info, fetcher.Metadata);
    }

    internal static byte[] InfoDictionary(int metadataPieces)
    {
        var dictionary = TorrentFiles.SingleFileInfo("meta", TorrentFiles.Content(5000, 1), 16_384);
        dictionary.Set("x-padding", new BString(new byte[Math.Max(0, ((metadataPieces - 1) * MetadataMessage.PieceLength) + 100)]));
        var bytes = BencodeWriter.Encode(dictionary);
        Assert.Equal(metadataPieces, MetadataMessage.PieceCount(bytes.Length));
        return bytes;
    }

    private static InfoHashes V1(byte[] info) => new(InfoHash.ComputeV1(info), null);

    private static MetadataFetcher FetchFrom(byte[] info, InfoHashes expected, int maxRounds = 1000)
    {
        var time = new FakeTimeProvider();
        var fetcher = new MetadataFetcher(expected, time);
        new SimulatedSwarm(fetcher, time, info, new Random(8)).Add(1, Behaviour.Honest).Add(2, Behaviour.Honest).Run(maxRounds);
        return fetcher;
    }

    private static MetadataFetchOutcome Deliver(MetadataFetcher fetcher, int peer, byte[] info, int piece)
    {
        int length = MetadataMessage.PieceSize(info.Length, piece);
        var payload = MetadataMessage.CreateData(piece, info.Length, info.AsSpan(piece * MetadataMessage.PieceLength, length));
        return fetcher.OnData(peer, MetadataMessage.Parse(payload));
    }

    /// <summary>Peers that answer the fetcher's requests through the codec, in shuffled order, each with a behaviour.</summary>
    private sealed class SimulatedSwarm(MetadataFetcher fetcher, FakeTimeProvider time, byte[] info, Random random)
    {
        private readonly Dictionary<int, (Behaviour Behaviour, int Size)> _peers = [];
        private readonly HashSet<(int Peer, int Piece)> _outstanding = [];

        public HashSet<int> PeersAsked { get; } = [];

        public List<MetadataHashFailure> Failures { get; } = [];

        public int DuplicateRequests { get; private set; }

        public int Rejects { get; private set; }

        public int Expired { get; private set; }

        public SimulatedSwarm Add(int peer, Behaviour behaviour, int? sizeLie = null)
        {
            int size = sizeLie ?? info.Length;
            _peers[peer] = (behaviour, size);
            fetcher.AddPeer(peer, size);
            return this;
        }

        public List<MetadataFetchOutcome> Run(int maxRounds = 1000)
        {
            var outcomes = new List<MetadataFetchOutcome>();
            for (int round = 0; round < maxRounds && !fetcher.IsComplete; round++)
            {
                var requests = new List<(int Peer, int Piece)>();
                foreach (int peer in _peers.Keys)
                {
                    while (fetcher.TryGetRequest(peer, out int piece))
                    {
                        var parsed = MetadataMessage.Parse(MetadataMessage.CreateRequest(piece));
                        DuplicateRequests += _outstanding.Add((peer, parsed.Piece)) ? 0 : 1;
                        requests.Add((peer, parsed.Piece));
                        PeersAsked.Add(peer);
                    }
                }

                foreach (var (peer, piece) in requests.OrderBy(_ => random.Next()))
                {
                    var (behaviour, size) = _peers[peer];
                    if (behaviour == Behaviour.Silent)
                    {
                        continue;
                    }

                    _outstanding.Remove((peer, piece));
                    if (behaviour == Behaviour.Reject)
                    {
                        Rejects++;
                        var reject = MetadataMessage.Parse(MetadataMessage.CreateReject(piece));
                        fetcher.OnReject(peer, reject.Piece);
                        continue;
                    }

                    var served = size == info.Length ? info.ToArray() : TorrentFiles.Content(size, peer);
                    if (behaviour == Behaviour.Corrupt)
                    {
                        served[Math.Min(served.Length - 1, (piece * MetadataMessage.PieceLength) + 7)] ^= 0x55;
                    }

                    int length = MetadataMessage.PieceSize(size, piece);
                    var message = MetadataMessage.Parse(MetadataMessage.CreateData(piece, size, served.AsSpan(piece * MetadataMessage.PieceLength, length)));
                    var outcome = fetcher.OnData(peer, message);
                    outcomes.Add(outcome);
                    if (outcome == MetadataFetchOutcome.HashMismatch)
                    {
                        Failures.Add(fetcher.LastHashFailure!);
                        _outstanding.Clear();
                    }
                }

                time.Advance(TimeSpan.FromSeconds(5));
                int expired = fetcher.Tick();
                Expired += expired;
                if (expired > 0)
                {
                    _outstanding.RemoveWhere(r => _peers[r.Peer].Behaviour == Behaviour.Silent);
                }
            }

            return outcomes;
        }
    }
}
