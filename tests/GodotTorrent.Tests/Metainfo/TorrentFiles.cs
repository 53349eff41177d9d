using System.Security.Cryptography;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Tests.Metainfo;

/// <summary>Builds small .torrent files by hand, so parser tests control every field.</summary>
internal static class TorrentFiles
{
    public static byte[] Content(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static byte[] V1Pieces(byte[] content, int pieceLength)
    {
        var pieces = new List<byte>();
        for (int offset = 0; offset < content.Length; offset += pieceLength)
        {
            pieces.AddRange(SHA1.HashData(content.AsSpan(offset, Math.Min(pieceLength, content.Length - offset))));
        }

        return [.. pieces];
    }

    public static BDictionary SingleFileInfo(string name, byte[] content, int pieceLength)
    {
        var info = new BDictionary();
        info.Set("name", new BString(name));
        info.Set("length", new BInteger(content.Length));
        info.Set("piece length", new BInteger(pieceLength));
        info.Set("pieces", new BString(V1Pieces(content, pieceLength)));
        return info;
    }

    public static BDictionary MultiFileInfo(string name, IReadOnlyList<(string[] Path, int Length)> files, int pieceLength, int seed = 1)
    {
        int total = files.Sum(f => f.Length);
        var content = Content(total, seed);
        var list = new BList();
        foreach (var (path, length) in files)
        {
            var entry = new BDictionary();
            entry.Set("length", new BInteger(length));
            entry.Set("path", new BList(path.Select(p => new BString(p))));
            list.Add(entry);
        }

        var info = new BDictionary();
        info.Set("name", new BString(name));
        info.Set("files", list);
        info.Set("piece length", new BInteger(pieceLength));
        info.Set("pieces", new BString(V1Pieces(content, pieceLength)));
        return info;
    }

    public static byte[] Torrent(BValue info, Action<BDictionary>? extra = null)
    {
        var root = new BDictionary();
        root.Set("info", info);
        extra?.Invoke(root);
        return BencodeWriter.Encode(root);
    }
}
