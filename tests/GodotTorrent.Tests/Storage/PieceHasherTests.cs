using System.Security.Cryptography;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

public class PieceHasherTests
{
    public static TheoryData<TorrentVersion> Versions => new() { TorrentVersion.V1, TorrentVersion.V2, TorrentVersion.Hybrid };

    // Sizes off block and piece boundaries: a short last leaf, a one-block file, a one-piece file, a tiny file.
    private static CheckTorrentBuilder Make(TorrentVersion version) =>
        CheckTorrentBuilder.Build(version, 32 * 1024, 7, 100_000, 16_384, 32_768, 7, 50_000);

    [Theory]
    [MemberData(nameof(Versions))]
    public void Every_piece_verifies_whole(TorrentVersion version)
    {
        var t = Make(version);
        using var hasher = new PieceHasher(t.Layout);
        for (int piece = 0; piece < t.Torrent.PieceCount; piece++)
        {
            Assert.True(hasher.Verify(piece, t.PieceData(piece)), $"piece {piece}");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Appending_in_random_chunks_gives_the_same_answer(TorrentVersion version)
    {
        var t = Make(version);
        var random = new Random(3);
        using var hasher = new PieceHasher(t.Layout);
        for (int piece = 0; piece < t.Torrent.PieceCount; piece++)
        {
            var data = t.PieceData(piece);
            hasher.Reset(piece);
            for (int position = 0; position < data.Length;)
            {
                int take = Math.Min(data.Length - position, random.Next(1, 20_000));
                hasher.Append(data.AsSpan(position, take));
                position += take;
            }

            Assert.True(hasher.Verify(), $"piece {piece}");
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void A_flipped_byte_fails_only_its_piece(TorrentVersion version)
    {
        var t = Make(version);
        using var hasher = new PieceHasher(t.Layout);
        for (int bad = 0; bad < t.Torrent.PieceCount; bad++)
        {
            var data = t.PieceData(bad);
            data[data.Length / 2] ^= 0x01;
            Assert.False(hasher.Verify(bad, data), $"piece {bad}");
            int other = (bad + 1) % t.Torrent.PieceCount;
            Assert.True(hasher.Verify(other, t.PieceData(other)));
        }
    }

    [Fact]
    public void V1_piece_hash_is_plain_sha1_of_the_piece()
    {
        var t = Make(TorrentVersion.V1);
        for (int piece = 0; piece < t.Torrent.PieceCount; piece++)
        {
            Assert.Equal(SHA1.HashData(t.PieceData(piece)), t.Torrent.GetPieceHashV1(piece).ToArray());
        }
    }

    [Fact]
    public void V2_single_block_file_root_is_the_sha256_of_its_bytes()
    {
        var t = Make(TorrentVersion.V2);
        // File 1 is exactly one 16 KiB block and file 3 is 7 bytes: BEP 52 roots are their leaf hashes.
        Assert.Equal(SHA256.HashData(t.Contents[1]), t.Torrent.Files[1].PiecesRoot.ToArray());
        Assert.Equal(SHA256.HashData(t.Contents[3]), t.Torrent.Files[3].PiecesRoot.ToArray());
    }

    [Fact]
    public void Hybrid_piece_with_good_file_bytes_but_bad_pad_bytes_fails()
    {
        var t = Make(TorrentVersion.Hybrid);
        // File 0 is 100,000 bytes: its last piece (3) ends in pad bytes that only the v1 hash covers.
        var data = t.PieceData(3);
        int fileBytes = 100_000 - 3 * 32 * 1024;
        Assert.True(data.Length > fileBytes);
        data[^1] = 0xAA;
        using var hasher = new PieceHasher(t.Layout);
        Assert.False(hasher.Verify(3, data));
    }

    [Fact]
    public void V2_piece_without_its_piece_layer_is_not_verified()
    {
        var t = Make(TorrentVersion.V2);
        var bare = TorrentInfo.FromInfoDictionary(t.Torrent.InfoBytes.Span);
        using var hasher = new PieceHasher(new PieceLayout(bare));
        Assert.False(hasher.Verify(0, t.PieceData(0)));
        // The one-piece file needs no layer: its pieces root is in the info dictionary.
        int single = bare.Files[2].FirstPiece;
        Assert.True(hasher.Verify(single, t.PieceData(single)));
    }

    [Fact]
    public void Short_or_overlong_input_does_not_verify()
    {
        var t = Make(TorrentVersion.V1);
        using var hasher = new PieceHasher(t.Layout);
        Assert.False(hasher.Verify(0, t.PieceData(0).AsSpan(1)));
        hasher.Reset(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.Append(new byte[t.Torrent.PieceLength + 1]));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void A_piece_abandoned_halfway_does_not_leak_into_the_next(TorrentVersion version)
    {
        var t = Make(version);
        using var hasher = new PieceHasher(t.Layout);
        // 20,000 bytes ends inside the second leaf, so both the SHA-1 state and a partial leaf are left behind.
        hasher.Reset(0);
        hasher.Append(t.PieceData(0).AsSpan(0, 20_000));
        Assert.True(hasher.Verify(1, t.PieceData(1)));
        hasher.Reset(0);
        hasher.Append(t.PieceData(0).AsSpan(0, 20_000));
        Assert.True(hasher.Verify(0, t.PieceData(0)));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Verifying_whole_pieces_allocates_nothing_after_the_first(TorrentVersion version)
    {
        var t = Make(version);
        using var hasher = new PieceHasher(t.Layout);
        var pieces = Enumerable.Range(0, t.Torrent.PieceCount).Select(t.PieceData).ToArray();
        for (int piece = 0; piece < pieces.Length; piece++)
        {
            Assert.True(hasher.Verify(piece, pieces[piece]));
        }

        // The check and the downloader hash every piece through here: nothing per piece for the GC.
        // The best of a few measurements: the runtime swapping in recompiled code (tiering, on a
        // busy machine late) can allocate once on this thread, while a per-piece allocation would
        // show in every one.
        bool all = true;
        long allocated = long.MaxValue;
        for (int attempt = 0; attempt < 5 && allocated > 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < 3; round++)
            {
                for (int piece = 0; piece < pieces.Length; piece++)
                {
                    all &= hasher.Verify(piece, pieces[piece]);
                }
            }

            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(all);
        Assert.Equal(0, allocated);
    }
}
