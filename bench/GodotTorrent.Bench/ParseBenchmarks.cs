using BenchmarkDotNet.Attributes;
using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Bench;

/// <summary>Parsing a large multi-file torrent (target: 10,000 files in under 50 ms).</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private byte[] _torrent = [];

    [Params(10_000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        const int pieceLength = 256 * 1024;
        var files = new BList();
        long total = 0;
        var random = new Random(42);
        for (int i = 0; i < Files; i++)
        {
            long length = random.Next(1, 400_000);
            total += length;
            var entry = new BDictionary();
            entry.Set("length", new BInteger(length));
            entry.Set("path", new BList([new BString($"dir{i % 100:D3}"), new BString($"file-{i:D5}.dat")]));
            files.Add(entry);
        }

        var pieces = new byte[(total + pieceLength - 1) / pieceLength * 20];
        random.NextBytes(pieces);
        var info = new BDictionary();
        info.Set("files", files);
        info.Set("name", new BString("big-pack"));
        info.Set("piece length", new BInteger(pieceLength));
        info.Set("pieces", new BString(pieces));
        var root = new BDictionary();
        root.Set("announce", new BString("http://127.0.0.1:6969/announce"));
        root.Set("info", info);
        _torrent = BencodeWriter.Encode(root);
    }

    [Benchmark]
    public TorrentInfo Parse() => TorrentInfo.Parse(_torrent);

    [Benchmark]
    public object DecodeOnly() => BencodeReader.Decode(_torrent);
}
