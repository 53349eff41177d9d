using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

/// <summary>
/// The check in batches of sixteen pieces (<see cref="PieceBatchVerifier"/>, where the CPU has the
/// lanes): every piece of a v1, v2 or hybrid torrent gets its own answer, whichever lane it was hashed in.
/// </summary>
public sealed class TorrentCheckerBatchTests
{
    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public void Batches_serve_every_version_where_the_cpu_has_the_lanes(TorrentVersion version)
    {
        Assert.Equal(HashLanes.IsSupported, PieceBatchVerifier.CanVerify(CheckTorrentBuilder.Build(version, 16 * 1024, 1, 300_000).Torrent));
    }

    [Theory]
    [InlineData(TorrentVersion.V1, 1)]
    [InlineData(TorrentVersion.V1, 2)]
    [InlineData(TorrentVersion.V2, 2)]
    [InlineData(TorrentVersion.Hybrid, 1)]
    [InlineData(TorrentVersion.Hybrid, 2)]
    public async Task Corrupt_and_unwritten_pieces_in_any_lane_are_clear_and_the_rest_valid(TorrentVersion version, int workers)
    {
        // About 40 pieces of 16 KiB over three files (pieces at each file's end are short of v2 bytes
        // in v2 and hybrid): two full batches and a short one with the short last piece.
        var t = CheckTorrentBuilder.Build(version, 16 * 1024, 5, 300_000, 200_000, 150_001);
        int count = t.Torrent.PieceCount;
        Assert.InRange(count, 40, 42);
        int[] bad = [0, 3, 15, 17, 18, 31, 33, count - 1];
        await using var storage = await t.FillAsync(20);
        foreach (int piece in bad)
        {
            var data = t.PieceData(piece);
            data[piece * 97 % data.Length] ^= 0x01;
            await storage.WriteAsync(piece, 0, data);
        }

        var result = await new TorrentChecker(storage, workers).CheckAsync();

        var expected = Enumerable.Range(0, count).Select(p => bad.Contains(p) || p == 20 ? '0' : '1');
        Assert.Equal(string.Concat(expected), result.Pieces.ToString());
        Assert.Equal(count, result.PiecesChecked);
    }

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Pieces_longer_than_a_chunk_are_hashed_across_chunks_from_disk(TorrentVersion version)
    {
        // 512 KiB pieces are read in 64 KiB chunks: damage in the first or a later chunk must show.
        var t = CheckTorrentBuilder.Build(version, 512 * 1024, 9, 10 << 20, (7 << 20) + 123);
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
                        data[(384 * 1024) + 1] ^= 0x80; // a later chunk
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
