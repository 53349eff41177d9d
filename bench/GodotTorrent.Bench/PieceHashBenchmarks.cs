using System.Buffers;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Bench;

/// <summary>
/// Verifying one whole piece from a pooled buffer, as the check and the downloader do (v1 SHA-1;
/// v2 SHA-256 leaves folded to the piece layer node; hybrid both), beside raw SHA-1 of the same
/// bytes as the ceiling. Target: no allocation per piece. Run with
/// <c>dotnet run -c Release -- --filter '*PieceHash*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class PieceHashBenchmarks
{
    private string _folder = "";
    private byte[] _piece = [];
    private PieceHasher? _hasher;

    [Params(256, 1024)]
    public int PieceKiB { get; set; }

    [Params(TorrentVersion.V1, TorrentVersion.V2, TorrentVersion.Hybrid)]
    public TorrentVersion Version { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int pieceLength = PieceKiB * 1024;
        _folder = Path.Combine(Path.GetTempPath(), "gt-piece-hash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        string file = Path.Combine(_folder, "content.bin");

        // Four pieces, so the v2 file has a piece layer and piece 0 is checked against it.
        var data = new byte[4 * pieceLength];
        new Random(3).NextBytes(data);
        File.WriteAllBytes(file, data);
        var torrent = TorrentCreator.CreateAsync(file, new TorrentCreatorOptions { Version = Version, PieceLength = pieceLength }).GetAwaiter().GetResult();
        _piece = ArrayPool<byte>.Shared.Rent(pieceLength);
        data.AsSpan(0, pieceLength).CopyTo(_piece);
        _hasher = new PieceHasher(new PieceLayout(torrent));
        if (!VerifyPiece())
        {
            throw new InvalidOperationException("Piece 0 does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _hasher?.Dispose();
        ArrayPool<byte>.Shared.Return(_piece);
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The ceiling: one SHA-1 over the same bytes, nothing else.</summary>
    [Benchmark(Baseline = true)]
    public byte RawSha1()
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(_piece.AsSpan(0, PieceKiB * 1024), hash);
        return hash[0];
    }

    [Benchmark]
    public bool VerifyPiece() => _hasher!.Verify(0, _piece.AsSpan(0, PieceKiB * 1024));
}
