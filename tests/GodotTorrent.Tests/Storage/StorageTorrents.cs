using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;
using GodotTorrent.Tests.Metainfo;

namespace GodotTorrent.Tests.Storage;

/// <summary>Small torrents for storage tests: only the layout matters, so hashes are dummies.</summary>
internal static class StorageTorrents
{
    public static TorrentInfo V1(int pieceLength, params (string Name, int Length)[] files)
    {
        var info = TorrentFiles.MultiFileInfo("t", files.Select(f => (f.Name.Split('/'), f.Length)).ToList(), pieceLength);
        return TorrentInfo.Parse(TorrentFiles.Torrent(info));
    }

    public static TorrentInfo SingleFile(int pieceLength, int length) =>
        TorrentInfo.Parse(TorrentFiles.Torrent(TorrentFiles.SingleFileInfo("single.bin", new byte[length], pieceLength)));

    /// <summary>A hybrid torrent: v1 file list with BEP 47 pad files aligning every file, plus the v2 file tree. Names must sort in the given order.</summary>
    public static TorrentInfo Hybrid(int pieceLength, params (string Name, int Length)[] files)
    {
        var list = new BList();
        long offset = 0;
        for (int i = 0; i < files.Length; i++)
        {
            list.Add(V1Entry([files[i].Name], files[i].Length, null));
            offset += files[i].Length;
            long pad = (pieceLength - (offset % pieceLength)) % pieceLength;
            if (i < files.Length - 1 && pad > 0 && files[i].Length > 0)
            {
                list.Add(V1Entry([".pad", pad.ToString(System.Globalization.CultureInfo.InvariantCulture)], pad, "p"));
                offset += pad;
            }
        }

        var info = V2Info(pieceLength, files);
        info.Set("files", list);
        info.Set("pieces", new BString(new byte[20 * (int)((offset + pieceLength - 1) / pieceLength)]));
        return TorrentInfo.FromInfoDictionary(BencodeWriter.Encode(info));
    }

    /// <summary>A v2-only torrent: files aligned to pieces with implied gaps and no pad entries.</summary>
    public static TorrentInfo V2(int pieceLength, params (string Name, int Length)[] files) =>
        TorrentInfo.FromInfoDictionary(BencodeWriter.Encode(V2Info(pieceLength, files)));

    /// <summary>Deterministic content for the whole piece space: pad and gap bytes are zero, as storage reads them.</summary>
    public static byte[] PieceSpaceContent(TorrentInfo torrent, int seed)
    {
        var data = new byte[torrent.PieceSpaceSize];
        var random = new Random(seed);
        foreach (var file in torrent.Files.Where(PieceLayout.IsStored))
        {
            random.NextBytes(data.AsSpan((int)file.Offset, (int)file.Length));
        }

        return data;
    }

    public static byte[] FileContent(TorrentInfo torrent, byte[] pieceSpace, int fileIndex)
    {
        var file = torrent.Files[fileIndex];
        return pieceSpace.AsSpan((int)file.Offset, (int)file.Length).ToArray();
    }

    private static BDictionary V2Info(int pieceLength, (string Name, int Length)[] files)
    {
        var tree = new BDictionary();
        foreach (var (name, length) in files)
        {
            var leaf = new BDictionary();
            leaf.Set("length", new BInteger(length));
            if (length > 0)
            {
                leaf.Set("pieces root", new BString(Enumerable.Repeat((byte)7, 32).ToArray()));
            }

            var node = new BDictionary();
            node.Set("", leaf);
            tree.Set(name, node);
        }

        var info = new BDictionary();
        info.Set("file tree", tree);
        info.Set("meta version", new BInteger(2));
        info.Set("name", new BString("t"));
        info.Set("piece length", new BInteger(pieceLength));
        return info;
    }

    private static BDictionary V1Entry(string[] path, long length, string? attr)
    {
        var entry = new BDictionary();
        entry.Set("length", new BInteger(length));
        entry.Set("path", new BList(path.Select(p => new BString(p))));
        if (attr is not null)
        {
            entry.Set("attr", new BString(attr));
        }

        return entry;
    }
}
