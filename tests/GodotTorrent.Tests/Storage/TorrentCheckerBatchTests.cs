using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

/// <summary>
/// The check of a v1 torrent in batches of sixteen pieces (<see cref="Sha1BatchVerifier"/>, where
/// the CPU has the lanes): every piece gets its own answer, whichever lane it was hashed in.
/// </summary>
public sealed class TorrentCheckerBatchTests
{
    [Fact]
    public void Batches_serve_v1_torrents_only_where_the_cpu_has_the_lanes()
    {
        Assert.Equal(Sha1Lanes.IsSupported, Sha1BatchVerifier.CanVerify(CheckTorrentBuilder.Build(TorrentVersion.V1, 16 * 1024, 1, 300_000).Torrent));
        Assert.False(Sha1BatchVerifier.CanVerify(CheckTorrentBuilder.Build(TorrentVersion.Hybrid, 16 * 1024, 1, 300_000).Torrent));
        Assert.False(Sha1BatchVerifier.CanVerify(CheckTorrentBuilder.Build(TorrentVersion.V2, 16 * 1024, 1, 300_000).Torrent));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Corrupt_and_unwritten_pieces_in_any_lane_are_clear_and_the_rest_valid(int workers)
    {
        // 40 pieces of 16 KiB over three files: two full batches and a short one with the short last piece.
        var t = CheckTorrentBuilder.Build(TorrentVersion.V1, 16 * 1024, 5, 300_000, 200_000, 150_001);
        Assert.Equal(40, t.Torrent.PieceCount);
        await using var storage = await t.FillAsync(20);
        foreach (int piece in new[] { 0, 3, 15, 17, 31, 33, 39 })
        {
            var bad = t.PieceData(piece);
            bad[piece * 97 % bad.Length] ^= 0x01;
            await storage.WriteAsync(piece, 0, bad);
        }

        var result = await new TorrentChecker(storage, workers).CheckAsync();

        var expected = Enumerable.Range(0, 40).Select(p => p is 0 or 3 or 15 or 17 or 20 or 31 or 33 or 39 ? '0' : '1');
        Assert.Equal(string.Concat(expected), result.Pieces.ToString());
        Assert.Equal(40, result.PiecesChecked);
    }

    [Fact]
    public async Task Pieces_longer_than_a_chunk_are_hashed_across_chunks_from_disk()
    {
        // 512 KiB pieces are read in two 256 KiB chunks: damage in either half must show.
        var t = CheckTorrentBuilder.Build(TorrentVersion.V1, 512 * 1024, 9, 10 << 20, (7 << 20) + 123);
        var root = Path.Combine(Path.GetTempPath(), "gt-batch-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var writer = new FileStorage(t.Torrent, root))
            {
                for (int piece = 0; piece < t.Torrent.PieceCount; piece++)
                {
                    var data = t.PieceData(piece);
                    if (piece == 5)
                    {
                        data[(384 * 1024) + 1] ^= 0x80; // second chunk
                    }
                    else if (piece == 22)
                    {
                        data[100] ^= 0x80; // first chunk
                    }

                    await writer.WriteAsync(piece, 0, data);
                }
            }

            // The second file loses its end: the pieces past the cut are invalid, not an error.
            string second = Path.Combine(root, "t", "f01.bin");
            using (var stream = new FileStream(second, FileMode.Open))
            {
                stream.SetLength(5 << 20);
            }

            await using var storage = new FileStorage(t.Torrent, root);
            var result = await new TorrentChecker(storage).CheckAsync();

            long cut = (10L << 20) + (5 << 20);
            for (int piece = 0; piece < t.Torrent.PieceCount; piece++)
            {
                bool pastCut = (long)(piece + 1) * t.Torrent.PieceLength > cut;
                Assert.True(result.Pieces[piece] == (piece != 5 && piece != 22 && !pastCut), $"piece {piece}: {result.Pieces[piece]}");
            }

            Assert.All(result.Files, f => Assert.Null(f.Error));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
