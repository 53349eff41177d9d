using System.Security.Cryptography;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Metainfo;

public class MerkleTreeTests
{
    private static byte[] H(params byte[][] parts) => SHA256.HashData(parts.SelectMany(p => p).ToArray());

    [Fact]
    public void One_block_root_is_the_block_hash()
    {
        var h1 = H([1, 2, 3]);
        Assert.Equal(h1, MerkleTree.RootFromBlockHashes(h1));
    }

    [Fact]
    public void Three_blocks_are_padded_with_a_zero_leaf()
    {
        byte[] h1 = H([1]), h2 = H([2]), h3 = H([3]);
        var zero = new byte[32];
        var expected = H(H(h1, h2), H(h3, zero));
        Assert.Equal(expected, MerkleTree.RootFromBlockHashes([.. h1, .. h2, .. h3]));
    }

    [Fact]
    public void Piece_layer_pads_the_last_piece_and_folds_to_the_same_root()
    {
        // Five blocks, pieces of two blocks: layer nodes H(b1,b2), H(b3,b4), H(b5,0).
        var blocks = Enumerable.Range(0, 5).Select(i => H([(byte)i])).ToArray();
        var zero = new byte[32];
        var layer = MerkleTree.PieceLayerFromBlockHashes(blocks.SelectMany(b => b).ToArray(), 2 * MerkleTree.BlockSize);
        Assert.Equal([.. H(blocks[0], blocks[1]), .. H(blocks[2], blocks[3]), .. H(blocks[4], zero)], layer);

        var fromBlocks = MerkleTree.RootFromBlockHashes(blocks.SelectMany(b => b).ToArray());
        var fromLayer = MerkleTree.RootFromPieceLayer(layer, 2 * MerkleTree.BlockSize);
        Assert.Equal(fromBlocks, fromLayer);
        Assert.Equal(H(H(layer[..32], layer[32..64]), H(layer[64..], H(zero, zero))), fromLayer);
    }
}
