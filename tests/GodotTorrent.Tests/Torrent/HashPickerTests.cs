using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Tests.Wire;
using GodotTorrent.Torrent;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Torrent;

/// <summary>
/// The hash picker against scripted peers that answer from a real tree (or lie, reject, or stay
/// silent): a v2 torrent known only by its info dictionary, with a file of 600 pieces (two
/// requests, with uncle hashes) and one of 3 pieces.
/// </summary>
public sealed class HashPickerTests
{
    private const int PieceLength = 16 * 1024;
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly byte[] _bigLayer;
    private readonly byte[] _smallLayer;
    private readonly TorrentInfo _torrent;

    public HashPickerTests()
    {
        (_bigLayer, var bigRoot) = HashMessageTests.Layer(600, seed: 1);
        (_smallLayer, var smallRoot) = HashMessageTests.Layer(3, seed: 2);
        var tree = new BDictionary();
        tree.Set("big.bin", File((600L * PieceLength) - 100, bigRoot));
        tree.Set("small.bin", File((2L * PieceLength) + 1, smallRoot));
        var info = new BDictionary();
        info.Set("file tree", tree);
        info.Set("meta version", new BInteger(2));
        info.Set("name", new BString("pack"));
        info.Set("piece length", new BInteger(PieceLength));
        _torrent = TorrentInfo.FromInfoDictionary(BencodeWriter.Encode(info));
    }

    [Fact]
    public void Honest_answers_install_each_layer_once_it_is_complete()
    {
        var picker = new HashPicker(_torrent);
        Assert.Equal(2, picker.MissingFiles.Count());

        var asked = picker.Pick(1, T0);
        Assert.Equal(HashPicker.MaxInFlightPerPeer, asked.Count);
        Assert.Empty(picker.Pick(1, T0));
        Assert.Equal([(0, 512, 9), (512, 128, 9)], asked.Select(r => (r.Index, r.Length, r.ProofLayers)));

        Assert.Equal(HashesOutcome.Accepted, picker.OnHashes(1, asked[0], Answer(asked[0]), out _));
        Assert.True(_torrent.GetPieceLayer(0).IsEmpty);
        Assert.Equal(HashesOutcome.LayerComplete, picker.OnHashes(1, asked[1], Answer(asked[1]), out var installed));
        Assert.Equal(0, installed!.Index);
        Assert.Equal(_bigLayer, _torrent.GetPieceLayer(0).ToArray());
        Assert.False(_torrent.HasPieceLayers);

        var last = Assert.Single(picker.Pick(1, T0));
        Assert.Equal((0, 4, 1), (last.Index, last.Length, last.ProofLayers));
        Assert.Equal(HashesOutcome.LayerComplete, picker.OnHashes(1, last, Answer(last), out _));
        Assert.True(picker.IsComplete);
        Assert.Equal(_smallLayer, _torrent.GetPieceLayer(1).ToArray());
        Assert.True(_torrent.HasPieceLayers);

        // The same hashes again, now unasked for, change nothing.
        Assert.Equal(HashesOutcome.Unrequested, picker.OnHashes(1, last, Answer(last), out _));
    }

    [Fact]
    public void Hashes_that_do_not_prove_the_root_condemn_the_sender_and_the_run_goes_to_another_peer()
    {
        var picker = new HashPicker(_torrent);
        var asked = picker.Pick(1, T0);
        var lie = Answer(asked[1]);
        lie[^1] ^= 1; // the last uncle

        Assert.Equal(HashesOutcome.Invalid, picker.OnHashes(1, asked[1], lie, out _));
        Assert.True(_torrent.GetPieceLayer(0).IsEmpty);
        // Never asked of the liar again, even much later; another peer gets it.
        Assert.DoesNotContain(picker.Pick(1, T0.AddHours(1)), r => r.SameAs(asked[1]));
        Assert.Contains(picker.Pick(2, T0), r => r.SameAs(asked[1]));
    }

    [Fact]
    public void A_reject_or_a_silence_sends_the_run_elsewhere_and_back_after_a_while()
    {
        var picker = new HashPicker(_torrent);
        var asked = picker.Pick(1, T0);
        picker.OnReject(1, asked[0], T0);
        Assert.DoesNotContain(picker.Pick(1, T0), r => r.SameAs(asked[0]));
        Assert.Contains(picker.Pick(2, T0.AddSeconds(10)), r => r.SameAs(asked[0]));
        Assert.Equal(3, picker.InFlight);

        // Peer 1 stays silent: after the time-out its runs are free again, but not for it until its refusal runs out.
        var late = T0 + HashPicker.Timeout + TimeSpan.FromSeconds(1);
        picker.Expire(late, _ => true);
        Assert.Equal(1, picker.InFlight);
        Assert.Empty(picker.Pick(1, late));
        Assert.Equal(2, picker.Pick(1, late + HashPicker.RetryAfter + TimeSpan.FromSeconds(1)).Count);

        // A peer that leaves frees its runs at once.
        picker.Expire(late + HashPicker.RetryAfter + TimeSpan.FromSeconds(1), id => id != 1);
        Assert.Equal(0, picker.InFlight);
    }

    [Fact]
    public void The_server_answers_only_piece_layer_requests_it_has_and_limits_each_peer()
    {
        var server = new HashServer(null!, _ => false, null!);
        var request = new HashRequest(_torrent.Files[0].PiecesRoot, 0, 0, 512, 9);
        Assert.Null(server.Answer(_torrent, request)); // the layer is not known yet
        Assert.True(_torrent.TryAddPieceLayer(0, _bigLayer));
        Assert.Null(server.Answer(_torrent, request with { BaseLayer = 1 })); // not the piece layer (16 KiB pieces: the leaves)
        var pieceLayer = request with { BaseLayer = PieceLayerTree.PieceHeight(PieceLength) };
        Assert.True(PieceLayerTree.Proves(pieceLayer, server.Answer(_torrent, pieceLayer), _torrent.Files[0].PiecesRoot.Span));
        Assert.Null(server.Answer(_torrent, pieceLayer with { PiecesRoot = new byte[32] }));

        // A wrong layer is never installed.
        var wrong = (byte[])_smallLayer.Clone();
        wrong[0] ^= 1;
        Assert.False(_torrent.TryAddPieceLayer(1, wrong));
        Assert.False(_torrent.TryAddPieceLayer(1, _smallLayer.AsSpan(32).ToArray()));

        for (int i = 0; i < HashServer.MaxRequestsPerPeer; i++)
        {
            Assert.True(server.CountRequest(7, T0));
        }

        Assert.False(server.CountRequest(7, T0.AddSeconds(30)));
        Assert.True(server.CountRequest(8, T0.AddSeconds(30)));
        Assert.True(server.CountRequest(7, T0 + HashServer.Window));
    }

    private static BDictionary File(long length, byte[] root)
    {
        var leaf = new BDictionary();
        leaf.Set("length", new BInteger(length));
        leaf.Set("pieces root", new BString(root));
        var node = new BDictionary();
        node.Set("", leaf);
        return node;
    }

    private byte[] Answer(HashRequest request)
    {
        var layer = request.PiecesRoot.Span.SequenceEqual(_torrent.Files[0].PiecesRoot.Span) ? _bigLayer : _smallLayer;
        return PieceLayerTree.Build(layer, PieceLength).Answer(request)!;
    }
}
