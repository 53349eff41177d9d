using GodotTorrent.Metainfo;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Storage;
using GodotTorrent.Tests.Net.Encryption;
using GodotTorrent.Tests.Storage;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Peers;

/// <summary>
/// A block-layer hash request we cannot serve: a reject, except to libtorrent 2.0, whose releases
/// write out of bounds on such a reject (its hash_picker::hashes_rejected), so it hears nothing.
/// </summary>
public sealed class HashServerRefusalTests
{
    [Theory]
    [InlineData("-LT2080-", true)] // libtorrent 2.0.8, as Debian ships it
    [InlineData("-LT20D0-", true)] // 2.0.13
    [InlineData("-LT1230-", false)] // 1.2 has no BEP 52
    [InlineData("-GT0100-", false)]
    public void Block_layer_requests_we_cannot_serve_are_rejected_except_to_libtorrent_2(string prefix, bool withheld)
    {
        var torrent = CheckTorrentBuilder.Build(TorrentVersion.V2, 64 * 1024, 3, 300_000).Torrent;
        var server = new HashServer(new NoUploads(), _ => false, null!);
        var (peer, wire) = Connect(prefix);
        var file = torrent.Files.Single(f => !f.IsPad);
        var blocks = new HashRequest(file.PiecesRoot, BaseLayer: 0, Index: 0, Length: 2, ProofLayers: 0);
        var unknownRoot = new HashRequest(new byte[32], BaseLayer: 0, Index: 0, Length: 2, ProofLayers: 0);
        var pieceLayer = new HashRequest(file.PiecesRoot, BaseLayer: 1, Index: 0, Length: 512, ProofLayers: 0);

        server.OnRequest(peer, torrent, blocks, DateTimeOffset.UnixEpoch);
        server.OnRequest(peer, torrent, unknownRoot, DateTimeOffset.UnixEpoch);
        server.OnRequest(peer, torrent, pieceLayer, DateTimeOffset.UnixEpoch); // base 1 is no layer we serve for 64 KiB pieces: a reject for anyone

        var sent = Drain(peer, wire);
        Assert.Equal(withheld ? 2 : 0, server.Withheld);
        Assert.Equal(withheld ? 1 : 3, server.Rejected);
        Assert.Equal(withheld ? [1] : [0, 0, 1], sent.Select(m => m.BaseLayer));
        Assert.All(sent, m => Assert.Equal(PeerMessageType.HashReject, m.Type));
    }

    private static (PeerConnection Peer, MemoryDuplex.End Wire) Connect(string prefix)
    {
        var duplex = new MemoryDuplex();
        var id = PeerId.Generate(prefix);
        var peer = new PeerConnection(1, duplex.Dialler, id, HandshakeReserved.Create(true, true, false), outgoing: false, DateTimeOffset.UnixEpoch, PeerWireLimits.Default);
        return (peer, duplex.Dialler);
    }

    private static List<(PeerMessageType Type, int BaseLayer)> Drain(PeerConnection peer, MemoryDuplex.End wire) =>
        SentMessage.Drain(peer, wire).Select(m =>
        {
            Assert.True(HashRequest.TryParse(m.Payload, out var request));
            return (m.Type, request.BaseLayer);
        }).ToList();

    // A seed that cannot upload now (stopped, or over a limit): every block-layer request is refused.
    private sealed class NoUploads : IUploadHost
    {
        public bool CanUpload => false;

        public DateTimeOffset Now => DateTimeOffset.UnixEpoch;

        public int PieceDataSize(int piece) => 0;

        public bool TryConsumeUpload(int length) => false;

        public ValueTask ReadAsync(int piece, int offset, Memory<byte> buffer) => throw new InvalidOperationException("No reads when uploads are off.");

        public void Uploaded(PeerConnection peer, int length)
        {
        }

        public void ReadFailed(StorageException error)
        {
        }

        public void RetrySoon()
        {
        }
    }
}
